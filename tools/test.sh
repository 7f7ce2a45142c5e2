#!/usr/bin/env bash
# The kit's whole test suite, from a fresh machine: installs the package with its test tools at the
# versions Binder runs (binder/requirements.txt, by tools/lock.sh), Debian's chromium for the
# browser tests and Debian's nodejs with configurable-http-proxy from npm for the JupyterHub test
# (if missing), checks style, and runs every test offline (sockets other than
# loopback are blocked, warnings are errors), printing the 15 slowest.
# Use it inside a virtualenv: it installs into whatever `python3` is.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -c binder/requirements.txt -e ".[test]"

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# The JupyterHub test (tests/browser/test_jupyterhub.py) needs Debian's Node.js and
# configurable-http-proxy from npm at a pinned version, installed into .cache/chp (ignored by git),
# not globally. If they cannot be installed, the suite still runs and that test fails saying so.
CHP_VERSION=5.3.0
install_proxy() {
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "Installing Debian's nodejs and npm for the JupyterHub test..."
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null || return 1
  fi
  echo "Installing configurable-http-proxy $CHP_VERSION from npm into .cache/chp..."
  npm install --silent --no-audit --no-fund --prefix .cache/chp "configurable-http-proxy@$CHP_VERSION"
}
if ! grep -qs "\"version\": \"$CHP_VERSION\"" .cache/chp/node_modules/configurable-http-proxy/package.json ||
   ! command -v node >/dev/null; then
  install_proxy || echo "WARNING: could not install Node.js or configurable-http-proxy; the JupyterHub test will fail"
fi

python3 -m ruff check .
# The browser tests drive real servers on a shared 2-core machine, and a few of them (thirty
# visitors at once, JupyterLab resizes) are timing-sensitive. A test that fails is run once more on
# its own; the run passes only if it passes then, and the retried tests are named so that a flaky
# one is seen, not hidden.
if ! python3 -m pytest "$@"; then
  echo "== retrying only the tests that failed, once (their names are above)"
  python3 -m pytest --last-failed --last-failed-no-failures none "$@"
fi
