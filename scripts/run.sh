#!/usr/bin/env bash
# Installs what is missing, builds, and starts ContrastScope on the default dataset.
# Arguments go to the app (e.g. --dataset builtin:shapes --autostart).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec build/app/contrastscope "$@"
fi
# No display: show what the app would open and train it headless instead.
echo "run.sh: no display; training headless (contrastscope-cli) instead of opening the window" >&2
dataset=$(build/app/contrastscope-cli default-dataset)
build/app/contrastscope-cli inspect "$dataset"
exec build/app/contrastscope-cli train --dataset "$dataset" --steps 300 --eval-every 100
