#!/usr/bin/env bash
# Training throughput: contrastscope-cli train vs the equivalent PyTorch script, run
# alternately in one go (same model, batch 10x25, SGD, no augmentation, same threads).
# The baseline runs on Debian's /usr/bin/python3 (python3-torch), whatever python3 is on PATH.
# Prints a markdown table with steps/s for both, the ratio, and both SNN top-1 values.
#   tests/bench/compare_pytorch.sh [THREADS] [STEPS] [REPEATS]
# Ends with one markdown row per pair in the format of run_all.sh's table.
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${1:-2}
steps=${2:-300}
repeats=${3:-1}
cli=build/app/contrastscope-cli
data=/usr/share/datasets/fashion-mnist
[ -x "$cli" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }
[ -d "$data" ] || { echo "needs dataset-fashion-mnist" >&2; exit 1; }
/usr/bin/python3 -c "import torch, numpy" 2>/dev/null || {
  echo "installing python3-torch python3-numpy for the baseline" >&2
  SUDO=(); [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends python3-torch python3-numpy >/dev/null
}
field() { python3 -c "import json,sys; print(json.loads(sys.stdin.read())['$1'])"; }

# Each repeat uses seed r on both sides; steps/s is the best of the repeats, SNN the mean.
declare -a rows
echo "| encoder | loss | ContrastScope steps/s | PyTorch steps/s | ratio | ContrastScope SNN top-1 | PyTorch SNN top-1 |"
echo "|---|---|---|---|---|---|---|"
for encoder in mlp cnn-small; do
  for loss in suncet supcon; do
    cs_best=0; py_best=0; cs_acc=0; py_acc=0
    for ((r = 0; r < repeats; r++)); do
      cs=$("$cli" train --dataset "$data" --encoder "$encoder" --loss "$loss" --steps "$steps" \
            --threads "$threads" --augment none --probe 10 --seed "$r" 2>/dev/null)
      py=$(/usr/bin/python3 tests/bench/train_pytorch.py --encoder "$encoder" --loss "$loss" \
            --steps "$steps" --threads "$threads" --seed "$r")
      cs_sps=$(echo "$cs" | field steps_per_second); py_sps=$(echo "$py" | field steps_per_second)
      cs_acc=$(python3 -c "print($cs_acc + $(echo "$cs" | field snn_top1) / $repeats)")
      py_acc=$(python3 -c "print($py_acc + $(echo "$py" | field snn_top1) / $repeats)")
      cs_best=$(python3 -c "print(max($cs_best, $cs_sps))"); py_best=$(python3 -c "print(max($py_best, $py_sps))")
    done
    python3 -c "print('| $encoder | $loss | %.1f | %.1f | %.2fx | %.4f | %.4f |' % ($cs_best, $py_best, $cs_best / $py_best, $cs_acc, $py_acc))"
    rows+=("$(python3 -c "
r = $cs_best / $py_best; d = $cs_acc - $py_acc
ok = r >= 1.25 and d >= -0.01
print('| Training $encoder $loss vs PyTorch (Fashion-MNIST, batch 10×25, $steps steps, $repeats seed(s)) '
      '| %.1f vs %.1f steps/s; SNN %.4f vs %.4f | ≥ 1.25×, SNN ≥ PyTorch − 0.01 | %.2f× (SNN %+.4f) %s |'
      % ($cs_best, $py_best, $cs_acc, $py_acc, r, d, '✓' if ok else '✗'))")")
  done
done
echo
printf '%s\n' "${rows[@]}"
