#!/usr/bin/env bash
# Pins the kit's runtime dependencies, resolved from pyproject.toml, for Binder's Python (3.11 on
# x86-64 Linux, binder/runtime.txt). tests/test_binder.py checks the lock still satisfies
# pyproject.toml; tools/test.sh and .ci/run install and test exactly these versions.
#
#   bash tools/lock.sh                 refresh binder/requirements.txt (newest versions within the bounds)
#   bash tools/lock.sh --lowest FILE   write the oldest versions the bounds allow, test tools included
#                                      (.ci/run tests the lower bounds with it)
set -euo pipefail
cd "$(dirname "$0")/.."

UV="$(command -v uv || true)"
if [ -z "$UV" ]; then
  python3 -m pip install --quiet --disable-pip-version-check uv
  UV="python3 -m uv"
fi
COMMON=(--python-version 3.11 --python-platform x86_64-unknown-linux-gnu --quiet)

if [ "${1:-}" = "--lowest" ]; then
  out="${2:?usage: tools/lock.sh --lowest FILE}"
  $UV pip compile pyproject.toml --extra test --resolution lowest-direct "${COMMON[@]}" --no-header -o "$out"
  exit 0
fi

out=binder/requirements.txt
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
$UV pip compile pyproject.toml --upgrade "${COMMON[@]}" --no-header -o "$tmp"
{
  echo "# Binder's environment: every package pinned, resolved from pyproject.toml by tools/lock.sh"
  echo "# (uv pip compile, Python 3.11, x86-64 Linux). Do not edit: run 'bash tools/lock.sh'."
  echo "# tests/test_binder.py checks that these pins satisfy pyproject.toml. The kit itself is"
  echo "# installed by postBuild."
  cat "$tmp"
} > "$out"
echo "wrote $out ($(grep -c '==' "$out") packages)"
