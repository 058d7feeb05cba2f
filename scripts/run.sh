#!/usr/bin/env bash
# Installs what is missing, builds, and starts ContrastScope on the default dataset.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
dataset=$(build/app/contrastscope-cli default-dataset)
echo "Dataset: $dataset" >&2
build/app/contrastscope-cli inspect "$dataset"
exec build/app/contrastscope-cli train --dataset "$dataset" --steps 100 --eval-every 50 "$@"
