#!/usr/bin/env bash
# Configures (once) and builds Release in build/. Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ] || [ $# -gt 0 ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >build-configure.log 2>&1 ||
    { cat build-configure.log >&2; exit 1; }
  rm -f build-configure.log
fi
# Quiet unless something fails: ninja prints the failing command and its output.
ninja -C build --quiet 2>&1 | grep -v "^ninja: Entering directory\|^ninja: no work to do" || true
test "${PIPESTATUS[0]}" -eq 0
