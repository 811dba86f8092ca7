#!/usr/bin/env bash
# Builds the libraries without LibTorch (common, theory, datasets, config, report, figures,
# analysis) and their tests with AddressSanitizer and UndefinedBehaviorSanitizer into
# build-sanitize/, then runs those tests and the readers' fuzz smoke under them. CI runs it
# after the main suite. (LibTorch itself is not built for ASan, so its side is not included.)
#   usage: bash scripts/sanitize.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-sanitize}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLINDIFF_TORCH=OFF -DLINDIFF_SANITIZE=ON \
  -DLINDIFF_BUILD_BENCHMARKS=OFF >/dev/null  # no -Werror: GCC's sanitizers cause false -Wmaybe-uninitialized
cmake --build "$BUILD_DIR" -j "$(nproc)"
# halt_on_error: any report fails the test; LeakSanitizer stays on.
ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
