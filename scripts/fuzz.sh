#!/usr/bin/env bash
# The long fuzzing run (docs/reliability.md): builds the readers' libFuzzer targets with clang,
# ASan and UBSan into build-fuzz/, seeds each from the targets' own valid inputs, and runs
# each for RUNS executions (default 1000000). Crashes are saved in build-fuzz/crashes/<target>/.
#   usage: bash scripts/fuzz.sh [RUNS] [TARGET...]   (targets: idx cifar image_folder config)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-1000000}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(idx cifar image_folder config)
command -v clang++ >/dev/null || { echo "fuzz.sh: needs clang (apt-get install clang)" >&2; exit 2; }
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DLINDIFF_TORCH=OFF -DLINDIFF_FUZZ=ON -DLINDIFF_BUILD_BENCHMARKS=OFF -DLINDIFF_BUILD_TESTS=ON >/dev/null
targets=()
for t in "${TARGETS[@]}"; do targets+=("fuzz_$t"); done
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]}"
# Seeds: the smoke build's --write-seeds (the same seeds() of each target).
cmake -S . -B build-fuzz-seeds -G Ninja -DCMAKE_BUILD_TYPE=Release -DLINDIFF_TORCH=OFF -DLINDIFF_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz-seeds -j "$(nproc)" --target "${targets[@]}"
for t in "${TARGETS[@]}"; do
  corpus=build-fuzz/corpus/$t crashes=build-fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  build-fuzz-seeds/tests/fuzz/fuzz_$t --write-seeds "$corpus" >/dev/null
  # Inputs up to 64 KiB; CIFAR up to 5 records and images up to 4 KiB (each input is a whole
  # dataset load under ASan: longer inputs mostly cost time, not coverage).
  case $t in cifar) max_len=15365 ;; image_folder) max_len=4096 ;; *) max_len=65536 ;; esac
  echo "== fuzz_$t: $RUNS runs, inputs up to $max_len bytes"
  ASAN_OPTIONS=detect_leaks=1 build-fuzz/tests/fuzz/fuzz_$t -runs="$RUNS" -max_len=$max_len -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|Done|==[0-9]+==ERROR|SUMMARY)" || true
  # slow-unit-* files are inputs that took over 10 s (under ASan on a loaded machine): reported, not failures.
  slow=$(ls "$crashes" | grep -c '^slow-unit-' || true)
  [ "$slow" = 0 ] || echo "fuzz_$t: $slow slow inputs kept in $crashes (not failures)"
  if ls "$crashes" | grep -qv '^slow-unit-'; then echo "fuzz_$t: crashes in $crashes"; exit 1; fi
done
