#!/usr/bin/env bash
# Installs every Debian package lindiff needs, selects OpenMP OpenBLAS as the system
# BLAS/LAPACK, then configures and builds lindiff (Release) into ./build.
# Running it again is fast and harmless: installed packages are skipped and CMake/ccache
# rebuild only what changed.
#   usage: bash scripts/setup.sh [--no-install] [--build-dir DIR] [--werror]
#   --werror builds with LINDIFF_WERROR=ON (warnings are errors; CI uses it).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=build
INSTALL=1
WERROR=OFF
while [ $# -gt 0 ]; do
  case "$1" in
    --no-install) INSTALL=0 ;;
    --build-dir) BUILD_DIR="$2"; shift ;;
    --werror) WERROR=ON ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$1' (valid: --no-install, --build-dir DIR, --werror)" >&2; exit 2 ;;
  esac
  shift
done

PACKAGES=(
  g++ cmake ninja-build git ccache pkg-config
  libtorch-dev                 # LibTorch (CPU)
  libopenblas0-openmp          # fast BLAS/LAPACK; without it LibTorch and LAPACK use reference BLAS
  liblapacke-dev libeigen3-dev
  libopencv-dev libyaml-cpp-dev zlib1g-dev
  libcli11-dev nlohmann-json3-dev
  libgtest-dev libbenchmark-dev
  gnuplot-nox                  # figures
  python3-numpy python3-torch  # tests: NumPy recomputes the written arrays; a TorchScript network saved from Python
  dataset-fashion-mnist        # Fashion-MNIST in /usr/share/datasets/fashion-mnist
  opencv-doc                   # OpenCV's digits.png sample sheet
  chromium fonts-dejavu-core   # headless screenshots of report.html (scripts/screenshot_report.sh, a test)
  slurmctld slurmd slurm-client munge  # a private one-node Slurm for the `lindiff slurm` test
)

if [ "$INSTALL" = 1 ]; then
  missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: all ${#PACKAGES[@]} packages already installed"
  fi
  # Prefer the OpenMP build of OpenBLAS (LibTorch itself uses OpenMP; the pthread build
  # would oversubscribe the cores) when some other package pulled in the pthread build.
  arch_dir=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
  for lib in libblas.so.3 liblapack.so.3; do
    target="$arch_dir/openblas-openmp/$lib"
    name="$lib-$(basename "$arch_dir")"
    if [ -e "$target" ] && [ "$(readlink -f "$arch_dir/$lib")" != "$(readlink -f "$target")" ]; then
      SUDO=""
      [ "$(id -u)" = 0 ] || SUDO=sudo
      $SUDO update-alternatives --set "$name" "$target"
    fi
  done
fi

# Ninja starts every target's sources at once (Make waits for the libraries a target links),
# which with unity sources and the precompiled LibTorch header halves a fresh build on 2 cores.
GENERATOR=Ninja
if [ -f "$BUILD_DIR/CMakeCache.txt" ] && ! grep -q "^CMAKE_GENERATOR:INTERNAL=$GENERATOR\$" "$BUILD_DIR/CMakeCache.txt"; then
  echo "setup: $BUILD_DIR was configured with another generator; configuring it afresh for $GENERATOR"
  rm -rf "$BUILD_DIR/CMakeCache.txt" "$BUILD_DIR/CMakeFiles"
fi
cmake -S . -B "$BUILD_DIR" -G "$GENERATOR" -DCMAKE_BUILD_TYPE=Release -DLINDIFF_WERROR="$WERROR"
cmake --build "$BUILD_DIR" -j "$(nproc)"
echo "setup: built $BUILD_DIR/lindiff"
