#!/usr/bin/env bash
# The GPU check in one call: on a machine with an NVIDIA GPU, a Python with a CUDA PyTorch 2.x
# (whose wheel holds LibTorch), the CUDA toolkit (nvcc), CMake, Ninja and a C++17 compiler, it
# builds lindiff's lean target (LINDIFF_LEAN: LibTorch, Eigen, yaml-cpp, zlib and header-only
# libraries; no OpenCV, OpenBLAS or gnuplot) and verifies what a GPU must show:
#   environment  the machine, compiler, CUDA, PyTorch                                 (box  20 s)
#   build        configure and build lindiff, test_device, bench_training             (box 300 s)
#   device       the Device.* tests on the GPU (CPU vs CUDA, checkpoints across devices) (box  60 s)
#   bench        training benchmarks next to the PyTorch peer on the same GPU
#                (U-Net images/s; linear step next to the GEMM rate of the same run)  (box 120 s)
#   fashion      a shortened configs/fashion_mnist_gpu.yaml (d = 784, T = 1000, N = 784 and 3136,
#                bounded steps): manifest, results, peak GPU memory                   (box 150 s)
# Each part runs under its box, cut to the time left of the whole (540 s = 9 min); a part that
# fails or runs out of time is reported and the next one still runs. Everything to bring back
# lands in OUT (at most 8 files, each well under 16 MiB): summary.md (the parts, their status and
# times, the benchmark table, GPU memory), logs.txt (every part's output, tails), bench.md,
# gpu_memory.csv (nvidia-smi samples during the run), and run_config.yaml, run_manifest.json,
# run_results.csv of the shortened run.
#
#   usage: bash scripts/gpu_check.sh [--dry-run] [--build-dir DIR] [--deps DIR] OUT
#   --dry-run      the same parts on this machine's CPU with tiny sizes (in the test suite, so
#                  that the script cannot rot); bench and fashion then run on the CPU.
#   --build-dir D  use the lindiff build in D as it is (no configure, no build); default: configure
#                  and build the lean target into build-gpu/.
#   --deps DIR     a folder of Debian .deb files (scripts/gpu_deps.sh fetches them) unpacked as a
#                  private prefix when the machine lacks Eigen, yaml-cpp, GoogleTest, Google
#                  Benchmark, CLI11, nlohmann-json or zlib's headers; default .gpu-deps if present.
# Exit status: 0 when every part passed, 1 when a part failed, 2 for bad usage.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
DRY_RUN=0
BUILD_DIR=""
DEPS_DIR=".gpu-deps"
OUT=""
PART=""  # internal: run one part (the script calls itself under `timeout` for each)
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --build-dir) BUILD_DIR="$2"; shift ;;
    --deps) DEPS_DIR="$2"; shift ;;
    --part) PART="$2"; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    -*) echo "gpu_check.sh: unknown option '$1' (valid: --dry-run, --build-dir DIR, --deps DIR)" >&2; exit 2 ;;
    *) [ -z "$OUT" ] || { echo "gpu_check.sh: one output folder, not '$OUT' and '$1'" >&2; exit 2; }; OUT="$1" ;;
  esac
  shift
done
[ -n "$OUT" ] || { echo "gpu_check.sh: give the output folder (usage: gpu_check.sh [--dry-run] [--build-dir DIR] [--deps DIR] OUT)" >&2; exit 2; }
mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd)
LOG="$OUT/logs.txt"
SUMMARY="$OUT/summary.md"

START=$(date +%s)
FAILED=0
PARTS=()
CORES=$(nproc)
PYTHON=${PYTHON:-python3}

# Sizes and time boxes: the GPU's, or tiny sizes on the CPU for the dry run, whose boxes leave
# room for a from-scratch build on 2 cores (it is about correctness, not time).
if [ "$DRY_RUN" = 1 ]; then
  TOTAL_BUDGET=1800 BUILD_BOX=1500 NATIVE=OFF
  DEVICE=cpu
  BENCH_FILTER='^(FloatGemm|LinearTrainStep/d:256/T:100/one_t:1)$'
  BENCH_ARGS=(--rounds 1 --iterations 1 --steps 2 --min-time 0.01)
  FASHION_SETS=(theory.steps=20 theory.n=[64,256] theory.loss_timesteps=[1,10,20] training.n=[64] training.models=[linear,unet]
                training.linear.steps=20 training.unet.steps=20 training.unet.base_channels=8 training.unet.time_dim=16
                training.seeds=[0] training.checkpoints=2 training.samples=64 training.eval_samples=64 spectrum.cov_error_n=[64,256]
                "dataset={name: fashion_mnist, max_train: 1000, max_test: 500}")
else
  TOTAL_BUDGET=${GPU_CHECK_BUDGET:-540} BUILD_BOX=300 NATIVE=ON  # built where it runs: Eigen may use the host's vector units
  DEVICE=cuda
  BENCH_FILTER='^(UNetTrainStep|FloatGemm|LinearTrainStep/d:784/T:1000/one_t:1|LinearTrainStep/d:784/T:1000/one_t:0|UNetForward)$'
  BENCH_ARGS=(--rounds 2 --iterations 2 --min-time 0.2)
  FASHION_SETS=(theory.n=[784,3136] theory.c=[0,0.01] theory.objectives=[noise] theory.gd_steps=[0,1e4,1e6]
                training.n=[3136] training.seeds=[0] training.checkpoints=2 training.samples=512
                training.linear.steps=200 training.unet.steps=1000 spectrum.cov_error_n=[784,3136,12544,60000])
fi

remaining() { echo $(( TOTAL_BUDGET - ($(date +%s) - START) )); }

# run_part NAME BOX: runs part_NAME (this script again, with --part NAME) under min(BOX, time
# left), its output appended to logs.txt; records status and wall seconds for the summary.
# Never stops the script.
run_part() {
  local name=$1 box=$2
  local left
  left=$(remaining)
  [ "$box" -le "$left" ] || box=$left
  if [ "$box" -le 0 ]; then
    PARTS+=("| $name | not run: the budget of $TOTAL_BUDGET s is spent | 0 |")
    FAILED=1
    return 1
  fi
  echo "===== $name (box ${box} s) =====" >> "$LOG"
  local t0 rc status
  t0=$(date +%s)
  local options=(--deps "$DEPS_DIR")
  [ "$DRY_RUN" = 1 ] && options+=(--dry-run)
  [ -n "$BUILD_DIR" ] && options+=(--build-dir "$BUILD_DIR")
  timeout --kill-after=10 "$box" bash "$ROOT/scripts/gpu_check.sh" "${options[@]}" --part "$name" "$OUT" >> "$LOG" 2>&1
  rc=$?
  local seconds=$(( $(date +%s) - t0 ))
  case $rc in
    0) status=passed ;;
    124|137) status="timed out after ${box} s"; FAILED=1 ;;
    *) status="failed (exit $rc)"; FAILED=1 ;;
  esac
  echo "===== $name: $status in ${seconds} s =====" >> "$LOG"
  PARTS+=("| $name | $status | $seconds |")
  return $rc
}

part_environment() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(uname -srm), $CORES cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) memory"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  for tool in c++ g++ cmake ninja nvcc; do
    printf '%s: ' "$tool"; "$tool" --version 2>/dev/null | head -n 1 || echo "not found"
  done
  "$PYTHON" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cxx11 abi", torch._C._GLIBCXX_USE_CXX11_ABI, "gpu", torch.cuda.get_device_name() if torch.cuda.is_available() else "none")' 2>/dev/null ||
    echo "$PYTHON: no PyTorch"
  return 0
}

# A private prefix of the Debian packages in DEPS_DIR (for machines without them), with libz.so
# pointing at the machine's own zlib (the package's link names Debian's absolute path).
unpack_deps() {
  local prefix=$1
  rm -rf "$prefix" && mkdir -p "$prefix" || return 1
  local deb
  for deb in "$DEPS_DIR"/*.deb; do
    if command -v dpkg-deb >/dev/null; then
      dpkg-deb -x "$deb" "$prefix" || return 1
    else
      (cd "$prefix" && ar p "$ROOT/$deb" data.tar.xz | tar xJ) || return 1
    fi
  done
  local zlib
  zlib=$(ldconfig -p 2>/dev/null | awk '/libz\.so\.1 / {print $NF; exit}')
  [ -n "$zlib" ] && ln -sf "$zlib" "$prefix/usr/lib/x86_64-linux-gnu/libz.so"
  echo "unpacked $(ls "$DEPS_DIR"/*.deb | wc -l) packages into $prefix"
}

part_build() {
  local dir=$ROOT/build-gpu prefix_path="" torch_dir=""
  torch_dir=$("$PYTHON" -c 'import os, torch; print(os.path.dirname(torch.__file__))' 2>/dev/null)
  if [ -n "$torch_dir" ]; then
    prefix_path="$("$PYTHON" -c 'import torch; print(torch.utils.cmake_prefix_path)')"
  fi
  if [ -d "$DEPS_DIR" ] && ls "$DEPS_DIR"/*.deb >/dev/null 2>&1; then
    unpack_deps "$dir-deps" || return 1
    prefix_path="$prefix_path;$dir-deps/usr"
  fi
  # Unity sources halve a build on 2 cores; on many cores single sources keep every core busy.
  local unity=ON
  [ "$CORES" -ge 8 ] && unity=OFF
  local common=(-S "$ROOT" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLINDIFF_LEAN=ON -DLINDIFF_UNITY_BUILD=$unity
                -DLINDIFF_NATIVE=$NATIVE -DLINDIFF_WERROR="${LINDIFF_WERROR:-OFF}" -DCMAKE_PREFIX_PATH="$prefix_path")
  if ! cmake -B "$dir" "${common[@]}"; then
    [ -n "$torch_dir" ] || return 1
    # A CUDA LibTorch's CMake config needs CUDA set up at configure time; link the wheel directly instead.
    echo "gpu_check: LibTorch's CMake config failed; linking the wheel in $torch_dir directly"
    rm -rf "$dir"
    cmake -B "$dir" "${common[@]}" -DLINDIFF_TORCH_WHEEL="$torch_dir" || return 1
  fi
  cmake --build "$dir" -j "$CORES" --target lindiff test_device bench_training
}

part_device() {
  "$BUILD_DIR/tests/test_device" --gtest_color=no
  local rc=$?
  if [ "$rc" -ge 128 ]; then
    # A crash: the backtrace of the failing test, from whichever debugger the machine has
    # (GPU nodes often have cuda-gdb only); then the other tests still run.
    local failing debugger
    failing=$(grep -o 'RUN      \] Device\.[A-Za-z]*' "$LOG" | tail -n 1 | sed 's/.*\] //')
    debugger=$(command -v gdb || command -v cuda-gdb)
    echo "gpu_check: test_device crashed (exit $rc) in $failing; backtrace from ${debugger:-no debugger}:"
    [ -n "$debugger" ] && timeout 60 "$debugger" -batch -ex run -ex bt \
      --args "$BUILD_DIR/tests/test_device" --gtest_filter="$failing" 2>&1 | grep -E '^#|signal|Thread' | head -n 40
    "$BUILD_DIR/tests/test_device" --gtest_color=no --gtest_filter="-$failing"
  fi
  return "$rc"
}

part_bench() {
  if "$PYTHON" -c 'import torch' 2>/dev/null; then
    "$PYTHON" bench/compare_with_pytorch.py --lindiff "$BUILD_DIR/bench/bench_training" --device "$DEVICE" \
      --filter "$BENCH_FILTER" "${BENCH_ARGS[@]}" | tee "$OUT/bench.md"
  else
    # No Python PyTorch here: lindiff's side alone, with the GEMM rate of the same run.
    echo "no Python PyTorch: lindiff's benchmarks alone" | tee "$OUT/bench.md"
    LINDIFF_BENCH_DEVICE=$DEVICE "$BUILD_DIR/bench/bench_training" --benchmark_filter="${BENCH_FILTER//[\^\$()]/}" \
      --benchmark_min_time=0.01 | tee -a "$OUT/bench.md"
  fi
}

part_fashion() {
  # The run folder (checkpoints of gigabytes) stays outside OUT; its small files are copied in.
  local run=${TMPDIR:-/tmp}/lindiff-gpu-check-fashion sets=() set
  for set in "${FASHION_SETS[@]}"; do sets+=(--set "$set"); done
  rm -rf "$run"
  "$BUILD_DIR/lindiff" run configs/fashion_mnist_gpu.yaml --out "$run" --set training.device=$DEVICE \
    --set spectrum.solver=auto "${sets[@]}"
  local rc=$?
  # Whatever the run left (also after a failure, e.g. a crash at exit after its files were committed).
  local file
  for file in config.yaml manifest.json results.csv; do
    [ -f "$run/$file" ] && cp "$run/$file" "$OUT/run_$file"
  done
  rm -rf "$run"
  return $rc
}

if [ -n "$PART" ]; then
  [ -z "$BUILD_DIR" ] || BUILD_DIR=$(cd "$BUILD_DIR" && pwd) || exit 1
  "part_$PART"
  exit $?
fi

: > "$LOG"
run_part environment 20
if [ -z "$BUILD_DIR" ]; then
  run_part build "$BUILD_BOX"
  BUILD_DIR=$ROOT/build-gpu
else
  BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
  PARTS+=("| build | skipped: --build-dir $BUILD_DIR | 0 |")
fi

SAMPLER=""
if [ "$DEVICE" = cuda ] && command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=timestamp,memory.used,memory.total,utilization.gpu --format=csv -lms 1000 > "$OUT/gpu_memory.csv" 2>/dev/null &
  SAMPLER=$!
fi
write_summary() {
{
  echo "# GPU check $([ "$DRY_RUN" = 1 ] && echo "(dry run on the CPU)")"
  echo
  echo "\`bash scripts/gpu_check.sh$([ "$DRY_RUN" = 1 ] && echo " --dry-run") OUT\`, $(( $(date +%s) - START )) s in all (budget $TOTAL_BUDGET s)."
  echo
  echo "| part | status | seconds |"
  echo "|---|---|---|"
  printf '%s\n' "${PARTS[@]}"
  echo
  echo "## Environment"
  echo
  sed -n '/^===== environment (/,/^===== environment:/p' "$LOG" | sed '1d;$d' | sed 's/^/    /'
  echo
  echo "## Device tests"
  echo
  grep -E '^\[  (PASSED|FAILED|SKIPPED) ' "$LOG" | sed 's/^/    /' || echo "    (none ran)"
  echo
  echo "## Benchmarks"
  echo
  [ -f "$OUT/bench.md" ] && cat "$OUT/bench.md" || echo "(none)"
  echo
  echo "## Shortened fashion_mnist_gpu run"
  echo
  if [ -f "$OUT/run_manifest.json" ]; then
    "$PYTHON" - "$OUT/run_manifest.json" <<'PY' 2>/dev/null || grep -E '"(wall_seconds|gpu_peak_allocated_bytes|gpu_memory_total_bytes|device|gpu)"' "$OUT/run_manifest.json"
import json, sys
m = json.load(open(sys.argv[1]))
print(f"- device {m.get('device')} ({m.get('gpu') or 'no GPU'}), CUDA runtime {m.get('cuda_runtime') or '-'}, LibTorch {m['libraries'].get('torch')}")
print(f"- wall time {m.get('wall_seconds', 0):.1f} s; stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in m.get('stage_seconds', {}).items()))
peak = m.get('gpu_peak_allocated_bytes')
if peak is not None:
    print(f"- peak GPU memory held by LibTorch's allocator: {peak / 2**30:.2f} GiB of {m.get('gpu_memory_total_bytes', 0) / 2**30:.0f} GiB")
PY
  else
    echo "(no run)"
  fi
  if [ -s "$OUT/gpu_memory.csv" ]; then
    echo "- nvidia-smi, highest memory.used during the check: $(awk -F', ' 'NR > 1 {gsub(/ MiB/, "", $2); if ($2 + 0 > m) m = $2 + 0} END {print m + 0 " MiB"}' "$OUT/gpu_memory.csv")"
  fi
} > "$SUMMARY"
}

# The summary is rewritten after every part, so that a check cut short still says what it did.
write_summary
run_part device 90; write_summary
run_part bench 120; write_summary
run_part fashion 150
[ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
write_summary

# Keep every file small enough to bring back: the log's tail only.
if [ "$(wc -c < "$LOG")" -gt 4000000 ]; then tail -c 4000000 "$LOG" > "$LOG.tail" && mv "$LOG.tail" "$LOG"; fi
cat "$SUMMARY"
exit $FAILED
