#!/usr/bin/env bash
# Rebuilds the kit's JupyterLab extension (labextension/src/index.js) into
# explainer/share/labextensions/orbit-explainer-lab/, which is committed and shipped in the
# wheel: users need no Node.js. Run it after changing labextension/, with the kit's environment
# active (JupyterLab's staging folder gives the builder the versions of JupyterLab's shared
# modules) and Node.js with npm on the PATH. @jupyterlab/builder is installed from npm at the
# version in labextension/package-lock.json into labextension/node_modules (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/../labextension"
npm ci --no-audit --no-fund --silent
staging="$(python3 -c 'import jupyterlab, pathlib; print(pathlib.Path(jupyterlab.__file__).parent / "staging")')"
rm -rf ../explainer/share/labextensions/orbit-explainer-lab
node node_modules/@jupyterlab/builder/lib/build-labextension.js --core-path "$staging" .
echo "Built into explainer/share/labextensions/orbit-explainer-lab/"
