#!/usr/bin/env bash
# Downloads (does not install) the Debian packages that a lean build needs besides LibTorch, the
# CUDA toolkit, CMake, Ninja and a compiler, into .gpu-deps/ (about 3 MB): Eigen, yaml-cpp,
# GoogleTest/GoogleMock, Google Benchmark, CLI11, nlohmann-json and zlib's headers. Run it on a
# Debian bookworm machine with package access; scripts/gpu_check.sh unpacks them as a private
# prefix on a GPU node that has no package registry.
#   usage: bash scripts/gpu_deps.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-.gpu-deps}
mkdir -p "$DIR"
cd "$DIR"
apt-get download libeigen3-dev libyaml-cpp-dev libyaml-cpp0.7 libgtest-dev libgmock-dev libbenchmark-dev \
  libbenchmark1debian libcli11-dev nlohmann-json3-dev zlib1g-dev
ls -l
