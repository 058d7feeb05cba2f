#!/usr/bin/env bash
# Installs the Debian packages ContrastScope needs. Idempotent and quiet when nothing is missing.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config
  # core: LibTorch (CPU), OpenBLAS so torch does not fall back to the reference BLAS, Eigen,
  # zlib, stb, JSON and CLI parsing
  libtorch-dev libopenblas0-pthread libeigen3-dev zlib1g-dev libstb-dev nlohmann-json3-dev
  libcli11-dev
  # ui: Qt6 widgets, OpenGL widgets, charts; VTK (its Qt module is Qt5: we host VTK ourselves)
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-qpa-plugins libvtk9-dev libgl-dev
  fonts-dejavu-core
  # tests and benchmarks
  libgtest-dev libbenchmark-dev xvfb xauth libgl1-mesa-dri
  # the default real dataset
  dataset-fashion-mnist
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=()
  [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's libtorch links libblas.so.3: make sure the alternative is OpenBLAS, not the reference.
blas=$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | awk '/^Value:/ {print $2}')
case "$blas" in
  *openblas*) ;;
  *)
    SUDO=()
    [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
    target=/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
    [ -e "$target" ] && "${SUDO[@]}" update-alternatives --set libblas.so.3-x86_64-linux-gnu "$target" >/dev/null
    ;;
esac
