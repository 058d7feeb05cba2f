#!/usr/bin/env bash
# Installs what is missing, builds with tests, and runs every test. Non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
# GUI tests need a real X server with GL: run the whole suite inside one Xvfb.
cd build
exec xvfb-run -a -s "-screen 0 1600x1200x24" ctest --output-on-failure --timeout 900 "$@"
