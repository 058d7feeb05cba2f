#!/usr/bin/env bash
# Runs every benchmark and writes one markdown table — machine, threads, date; each figure with
# its target and ratio — to tests/bench/results.md (or $1), which the README's Performance
# section shows. Not part of scripts/test.sh: it takes ~15 minutes on 2 cores.
#   tests/bench/run_all.sh [OUTPUT.md]        THREADS=N to override the thread count
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-tests/bench/results.md}
threads=${THREADS:-$(nproc)}
scripts/build.sh
export GOMP_SPINCOUNT=1000 # what both executables set for themselves (app/ProcessDefaults)
bench=build/tests/bench
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

echo "loss kernels…" >&2
"$bench/bench_losses" --threads "$threads" --benchmark_min_time=0.5 --benchmark_color=false \
  >"$log/losses.txt" 2>/dev/null
echo "training throughput against PyTorch (several minutes)…" >&2
tests/bench/compare_pytorch.sh "$threads" 300 "${REPEATS:-2}" >"$log/training.txt"
echo "3D view…" >&2
xvfb-run -a -s "-screen 0 1440x900x24" "$bench/view3d_bench" >"$log/view3d.txt" 2>/dev/null
echo "UI latency while training…" >&2
xvfb-run -a -s "-screen 0 1440x900x24" "$bench/ui_latency_bench" 20 >"$log/ui.txt" 2>/dev/null
echo "memory over a 20k-step run (a few minutes)…" >&2
"$bench/bench_memory" 20000 "$threads" >"$log/memory.txt"

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)
torch=$(dpkg-query -W -f='${Version}' libtorch-dev 2>/dev/null || echo "?")

{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on ${cpu}, $(nproc) cores, ${mem} GiB RAM, no GPU;"
  echo "${threads} threads; LibTorch ${torch} (CPU) with OpenBLAS; 3D under Xvfb with Mesa (software GL)."
  echo "Ratios: for times, measured ÷ target budget (< 1 is good); for speeds and the PyTorch"
  echo "comparison, ours ÷ theirs (> 1 is good); loss kernels: ours ÷ the three-matmul floor."
  echo
  echo "| Benchmark | Measured | Target | Ratio |"
  echo "|---|---|---|---|"
  grep -h '^| Loss ' "$log/losses.txt"
  grep -h '^| Training ' "$log/training.txt"
  grep -h '^| ' "$log/view3d.txt" "$log/ui.txt" "$log/memory.txt"
  echo
  echo "<details><summary>Raw output</summary>"
  echo
  echo '```'
  grep -hv '^| ' "$log/view3d.txt" "$log/ui.txt" "$log/memory.txt" || true
  grep -v '^| ' "$log/losses.txt" | grep -v '^$' || true
  echo '```'
  echo "</details>"
} >"$out"
cat "$out"
