#!/usr/bin/env bash
# Configures (once) and builds Release in build/. Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ] || [ $# -gt 0 ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >build-configure.log 2>&1 ||
    { cat build-configure.log >&2; exit 1; }
  rm -f build-configure.log
fi
# Quiet unless something fails: ninja then prints the failing command and its output.
rc=0
out=$(ninja -C build --quiet 2>&1) || rc=$?
printf '%s\n' "$out" | grep -v -e '^ninja: Entering directory' -e '^ninja: no work to do' -e '^$' || true
exit "$rc"
