#!/usr/bin/env bash
# End-to-end checks of the lindiff executable: --help, exit codes and messages for bad
# input, and that a failed run leaves earlier results intact. Needs $LINDIFF.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"

cat >"$work/ok.yaml" <<YAML
name: e2e
dataset: {name: synthetic, synthetic: {shape: [3, 3], n_train: 50, n_test: 10}}
spectrum: {cov_error_n: [10, 50]}
YAML
cat >"$work/typo.yaml" <<YAML
dataset: synthetic
spectrum: {eigenvectorz: 3}
YAML
cat >"$work/missing.yaml" <<YAML
name: e2e
dataset: {name: mnist, path: $work/nowhere}
YAML
cat >"$work/big_n.yaml" <<YAML
dataset: {name: synthetic, synthetic: {n_train: 20, n_test: 5}}
spectrum: {n_train: 21}
YAML
cat >"$work/corrupt.yaml" <<YAML
name: e2e
dataset: {name: idx, path: $work/corrupt.idx}
YAML
printf '\x00\x00\x08\x03\x00\x00\x00\x02' >"$work/corrupt.idx"

expect 0 "Subcommands" -- "$LINDIFF" --help
expect 0 "CONFIG" -- "$LINDIFF" spectrum --help
expect 0 "--keys" -- "$LINDIFF" config --help
expect 0 "fashion_mnist" -- "$LINDIFF" datasets
expect 0 "spectrum.fit_range" -- "$LINDIFF" config --keys
expect 2 "required" -- "$LINDIFF" spectrum
expect 2 "" -- "$LINDIFF" frobnicate
expect 3 "spectrum.eigenvectorz" -- "$LINDIFF" config "$work/typo.yaml"
expect 3 "does not exist" -- "$LINDIFF" spectrum "$work/absent.yaml"
expect 3 "N = 21" -- "$LINDIFF" spectrum "$work/big_n.yaml" --out "$work/big"
expect 3 "spectrum.n_train" -- "$LINDIFF" config "$work/ok.yaml" --set spectrum.n_train=-1
expect 3 "training.models.1: unknown denoiser 'resnet' (valid: linear, unet" -- \
  "$LINDIFF" config "$work/ok.yaml" --set 'training.models=[linear, resnet]'
expect 3 "'wiener' is an analytic denoiser" -- "$LINDIFF" train "$work/ok.yaml" --set 'training.models=[wiener]' --out "$work/w"
# A network from a file: a missing file is the config's mistake (3), a file that is not
# TorchScript the data's (4), both named before any work; the loaded kind is not trainable.
expect 3 "networks.0.file: '$work/absent.pt' does not exist" -- "$LINDIFF" denoise "$work/ok.yaml" \
  --set 'networks=[{name: mine, file: '"$work"'/absent.pt, n: 10}]' --set 'denoise.references=[wiener]' --out "$work/n1"
echo "not a network" >"$work/garbage.pt"
expect 4 "garbage.pt' (networks.0.file) is not a TorchScript file" -- "$LINDIFF" denoise "$work/ok.yaml" \
  --set 'networks=[{name: mine, file: '"$work"'/garbage.pt, n: 10}]' --set 'denoise.references=[wiener]' \
  --set 'training.models=[]' --out "$work/n2"
expect 3 "networks are loaded, not trained" -- "$LINDIFF" train "$work/ok.yaml" --set 'training.models=[torchscript]' --out "$work/n3"

cat >"$work/theory.yaml" <<YAML
dataset: {name: synthetic, synthetic: {shape: [3, 3], n_train: 100, n_test: 10}}
theory: {steps: 50, n: [5, 20, 100], c: [0, 0.1], gd_steps: [0, 100]}
YAML
expect 0 "CONFIG" -- "$LINDIFF" theory --help
expect 0 "results in" -- "$LINDIFF" theory "$work/theory.yaml" --out "$work/theory"
expect 3 "theory.objectives.0" -- "$LINDIFF" theory "$work/theory.yaml" --set theory.objectives=[score]
expect 3 "N = 101" -- "$LINDIFF" theory "$work/theory.yaml" --set theory.n=[101] --out "$work/theory_bad"
if grep -q ",kl_model_data,inf,theory" "$work/theory/results.csv" && grep -q ",theory_avg" "$work/theory/results.csv"; then
  passes=$((passes + 1))
else
  echo "FAIL: theory results lack the inf KL at N < d or the theory_avg rows"
  failures=$((failures + 1))
fi

# A good run, then the same config failing into the same folder (its data file corrupted since):
# the results stay as they were. Missing and corrupt data are exit 4 naming the file.
expect 0 "results in" -- "$LINDIFF" spectrum "$work/ok.yaml" --out "$work/run"
expect 4 "$work/nowhere" -- "$LINDIFF" spectrum "$work/missing.yaml" --out "$work/missing_run"
expect 4 "corrupt.idx" -- "$LINDIFF" spectrum "$work/corrupt.yaml" --out "$work/corrupt_run"
cat >"$work/idx.yaml" <<YAML
name: e2e
dataset: {name: idx, path: $work/good.idx, test_fraction: 0.5}
spectrum: {cov_error_n: [4]}
YAML
printf '\x00\x00\x08\x03\x00\x00\x00\x08\x00\x00\x00\x02\x00\x00\x00\x02' >"$work/good.idx"
head -c 32 /dev/urandom >>"$work/good.idx"
expect 0 "results in" -- "$LINDIFF" spectrum "$work/idx.yaml" --out "$work/idx_run"
before=$(cat "$work/idx_run/results.csv" "$work/idx_run/manifest.json" | md5sum)
truncate -s 30 "$work/good.idx"
expect 4 "good.idx" -- "$LINDIFF" spectrum "$work/idx.yaml" --out "$work/idx_run"
after=$(cat "$work/idx_run/results.csv" "$work/idx_run/manifest.json" | md5sum)
if [ "$before" != "$after" ] || ls -a "$work/idx_run" | grep -q staging; then
  echo "FAIL: a failed run changed earlier results or left a staging folder"
  failures=$((failures + 1))
else
  passes=$((passes + 1))
fi

# Another run's folder is refused (exit 3) unless --replace; too many threads are refused (exit 2).
before=$(cat "$work/run/results.csv" "$work/run/manifest.json" "$work/run/config.yaml" | md5sum)
expect 3 "holds another run" -- "$LINDIFF" spectrum "$work/ok.yaml" --set name=other --out "$work/run"
after=$(cat "$work/run/results.csv" "$work/run/manifest.json" "$work/run/config.yaml" | md5sum)
[ "$before" = "$after" ] && passes=$((passes + 1)) || { echo "FAIL: a refused run changed the folder"; failures=$((failures + 1)); }
expect 2 "--threads 100000 is too many" -- "$LINDIFF" spectrum "$work/ok.yaml" --threads 100000 --out "$work/threads"
expect 3 "key 'threads'" -- "$LINDIFF" spectrum "$work/ok.yaml" --set threads=100000 --out "$work/threads"
cp -r "$work/run" "$work/replaced"
expect 0 "replaced the run" -- "$LINDIFF" spectrum "$work/ok.yaml" --set name=other --replace --out "$work/replaced"
grep -q "^name: other" "$work/replaced/config.yaml" && passes=$((passes + 1)) || { echo "FAIL: --replace did not replace"; failures=$((failures + 1)); }

# Same config and seed, same numbers.
"$LINDIFF" spectrum "$work/ok.yaml" --out "$work/again" >/dev/null 2>&1
if cmp -s "$work/run/results.csv" "$work/again/results.csv"; then
  passes=$((passes + 1))
else
  echo "FAIL: a rerun with the same config and seed gave different results.csv"
  failures=$((failures + 1))
fi

# Training: a tiny sweep (d = 16, T = 50), linear + U-Net.
cat >"$work/train.yaml" <<YAML
name: e2e_train
dataset: {name: synthetic, synthetic: {shape: [4, 4], n_train: 64, n_test: 64}}
theory: {steps: 50, n: [8, 32], c: [0], objectives: [noise], gd_steps: [0, 100]}
training:
  models: [linear, unet]
  n: [8, 32]
  checkpoints: 4
  eval_samples: 256
  samples: 64
  linear: {steps: 300, batch_size: 64}
  unet: {steps: 30, batch_size: 32, base_channels: 8, depth: 1, groups: 4, time_dim: 8}
YAML
for command in train run sample report merge; do expect 0 "--help" -- "$LINDIFF" "$command" --help; done
expect 3 "allows depth" -- "$LINDIFF" train "$work/train.yaml" --set training.unet.depth=3 --out "$work/deep"
expect 3 "N = 65" -- "$LINDIFF" train "$work/train.yaml" --set training.n=[65] --out "$work/big_train"
expect 2 "--shard" -- "$LINDIFF" train "$work/train.yaml" --shard 2/2 --out "$work/shard"
if ! command -v nvidia-smi >/dev/null 2>&1; then
  expect 3 "training.device" -- "$LINDIFF" train "$work/train.yaml" --set training.device=cuda --out "$work/cuda"
  # Refused before the spectrum and the theory run, not after them.
  expect 3 "training.device" -- "$LINDIFF" run "$work/train.yaml" --set training.device=cuda --out "$work/cuda_run"
  if ls "$work/cuda_run"/figures/spectrum_* >/dev/null 2>&1; then
    echo "FAIL: run with a missing device drew spectrum figures before refusing"
    failures=$((failures + 1))
  fi
fi
expect 0 "results in" -- "$LINDIFF" run "$work/train.yaml" --out "$work/full"
for file in report.html results.csv checkpoints/synthetic_k1_linear_noise_N8_c0_s0_*/latest.pt \
            checkpoints/synthetic_k1_unet_noise_N8_c0_s0_*/held_out_draws_30.pt \
            samples/synthetic_k1_unet_noise_N32_c0_s0_*/grid.png figures/steps_test_loss_noise_c0_synthetic_k1.png; do
  found=$(ls "$work"/full/$file 2>/dev/null | head -1)
  if [ -n "$found" ] && [ -s "$found" ]; then passes=$((passes + 1)); else echo "FAIL: run did not write $file"; failures=$((failures + 1)); fi
done
for source in exact theory_gd monte_carlo theory_avg; do
  if grep -q ",linear,noise,.*,$source\$" "$work/full/results.csv"; then passes=$((passes + 1));
  else echo "FAIL: no linear rows with source $source"; failures=$((failures + 1)); fi
done
expect 0 "samples" -- "$LINDIFF" sample "$(ls "$work"/full/checkpoints/synthetic_k1_unet_noise_N8_c0_s0_*/latest.pt)" --count 16 --out "$work/drawn"
[ -s "$work/drawn/grid.png" ] && passes=$((passes + 1)) || { echo "FAIL: sample wrote no grid"; failures=$((failures + 1)); }
rm "$work/full/report.html"
expect 0 "report in" -- "$LINDIFF" report "$work/full"
[ -s "$work/full/report.html" ] && passes=$((passes + 1)) || { echo "FAIL: report did not redraw report.html"; failures=$((failures + 1)); }
expect 4 "results.csv" -- "$LINDIFF" report "$work/nowhere"

# The report opens in headless Chromium from disk: the page and every section render (a blank
# 1400x1600 PNG is ~10 kB; a rendered section with figures is several times larger).
if command -v chromium >/dev/null 2>&1 && [ -n "${SOURCE_DIR:-}" ]; then
  expect 0 "screenshots of" -- bash "$SOURCE_DIR/scripts/screenshot_report.sh" "$work/full" "$work/shots"
  small=$(find "$work/shots" -name 'report_*.png' -size -20k | wc -l)
  count=$(find "$work/shots" -name 'report_*.png' | wc -l)
  if [ "$count" -ge 5 ] && [ "$small" = 0 ]; then passes=$((passes + 1));
  else echo "FAIL: $count screenshots, $small of them (nearly) blank"; failures=$((failures + 1)); fi
  expect 3 "report.html" -- bash "$SOURCE_DIR/scripts/screenshot_report.sh" "$work/nowhere"
else
  echo "skipped: Chromium not installed (scripts/setup.sh installs it); report.html not rendered"
fi

# Killed midway and started again: the same results.csv as the uninterrupted run.
timeout -s KILL 4 "$LINDIFF" run "$work/train.yaml" --out "$work/killed" >/dev/null 2>&1
expect 0 "results in" -- "$LINDIFF" run "$work/train.yaml" --out "$work/killed"
if cmp -s "$work/full/results.csv" "$work/killed/results.csv"; then passes=$((passes + 1));
else echo "FAIL: an interrupted and resumed run differs from an uninterrupted one"; failures=$((failures + 1)); fi

# SIGINT and SIGTERM stop a longer training at the next step with exit 130 and a message,
# leaving no staging folder and a checkpoint that loads; the same command then resumes to the
# bytes of an uninterrupted run.
long=(--set training.models=[linear] --set training.n=[8] --set training.linear.steps=30000)
"$LINDIFF" train "$work/train.yaml" "${long[@]}" --out "$work/long_full" >/dev/null 2>&1
for signal in INT TERM; do
  "$LINDIFF" train "$work/train.yaml" "${long[@]}" --out "$work/sig$signal" >"$work/sig$signal.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do ls "$work"/sig$signal/checkpoints/*/latest.pt >/dev/null 2>&1 && break; sleep 0.2; done
  kill -$signal "$pid" 2>/dev/null
  wait "$pid"
  code=$?
  if [ "$code" = 130 ] && grep -q "interrupted by SIG$signal" "$work/sig$signal.log" &&
     ! ls -a "$work/sig$signal" | grep -q staging &&
     "$LINDIFF" sample "$(ls "$work"/sig$signal/checkpoints/*/latest.pt)" --count 4 --out "$work/sig${signal}_drawn" >/dev/null 2>&1; then
    passes=$((passes + 1))
  else
    echo "FAIL: SIG$signal gave exit $code:"; tail -3 "$work/sig$signal.log"; failures=$((failures + 1))
  fi
  expect 0 "results in" -- "$LINDIFF" train "$work/train.yaml" "${long[@]}" --out "$work/sig$signal"
  cmp -s "$work/long_full/results.csv" "$work/sig$signal/results.csv" && passes=$((passes + 1)) ||
    { echo "FAIL: resumed after SIG$signal differs from an uninterrupted run"; failures=$((failures + 1)); }
done

# Two runs of one config on one folder at once: each cell is trained once (a per-cell lock),
# both finish, and the results equal a single run's.
"$LINDIFF" run "$work/train.yaml" --out "$work/twice" >"$work/twice_a.log" 2>&1 &
pid=$!
expect 0 "results in" -- "$LINDIFF" run "$work/train.yaml" --out "$work/twice"
wait "$pid" && cmp -s "$work/full/results.csv" "$work/twice/results.csv" && passes=$((passes + 1)) ||
  { echo "FAIL: two concurrent runs on one folder failed or differ"; tail -3 "$work/twice_a.log"; failures=$((failures + 1)); }

# Shards run into one folder; a final run collects every finished cell without training.
expect 0 "results in" -- "$LINDIFF" train "$work/train.yaml" --shard 0/2 --out "$work/sharded"
expect 0 "results in" -- "$LINDIFF" train "$work/train.yaml" --shard 1/2 --out "$work/sharded"
expect 0 "results in" -- "$LINDIFF" train "$work/train.yaml" --out "$work/sharded"
if [ "$(grep -c final_step "$work/sharded/results.csv")" = 4 ]; then passes=$((passes + 1));
else echo "FAIL: the collected sharded run lacks cells"; failures=$((failures + 1)); fi

# Slurm: `lindiff slurm` writes a job array of `run --shard i/3` tasks and an afterok collector.
# A stand-in sbatch records how it was called; the scripts are then run as Slurm would run them
# (each task with its SLURM_ARRAY_TASK_ID, then the collector): the same results.csv as one run.
mkdir -p "$work/fakebin"
cat >"$work/fakebin/sbatch" <<'SH'
#!/bin/bash
echo "$*" >>"$(dirname "$0")/sbatch.calls"
echo "$((4000 + $(wc -l <"$(dirname "$0")/sbatch.calls")));cluster"
SH
chmod +x "$work/fakebin/sbatch"
mkdir -p "$work/nobin"  # a PATH without sbatch (the real one may be installed)
expect 2 "needs Slurm's sbatch" -- env PATH="$work/nobin" "$LINDIFF" slurm "$work/train.yaml" --shards 3 --submit --out "$work/slurm"
expect 0 "submitted job array 4001 (3 tasks) and collecting job 4002" -- env PATH="$work/fakebin:$PATH" \
  "$LINDIFF" slurm "$work/train.yaml" --shards 3 --submit --sbatch=--time=01:00:00 --out "$work/slurm"
if grep -q -- "--dependency=afterok:4001 collect.sbatch" "$work/fakebin/sbatch.calls" &&
   grep -q -- "^#SBATCH --array=0-2" "$work/slurm/slurm/array.sbatch" && grep -q -- "^#SBATCH --requeue" "$work/slurm/slurm/array.sbatch" &&
   grep -q -- "^#SBATCH --time=01:00:00" "$work/slurm/slurm/collect.sbatch"; then passes=$((passes + 1));
else echo "FAIL: slurm scripts or submission wrong"; cat "$work/fakebin/sbatch.calls"; failures=$((failures + 1)); fi
for task in 0 1 2; do
  SLURM_ARRAY_TASK_ID=$task bash "$work/slurm/slurm/array.sbatch" >/dev/null 2>&1 ||
    { echo "FAIL: array task $task"; failures=$((failures + 1)); }
done
bash "$work/slurm/slurm/collect.sbatch" >/dev/null 2>&1
cmp -s "$work/full/results.csv" "$work/slurm/results.csv" && passes=$((passes + 1)) ||
  { echo "FAIL: the Slurm array + collector differ from one run"; failures=$((failures + 1)); }

# Shards in separate folders (separate machines) merged into one run folder: the same rows.
expect 0 "results in" -- "$LINDIFF" train "$work/train.yaml" --shard 0/2 --out "$work/part0"
expect 0 "results in" -- "$LINDIFF" train "$work/train.yaml" --shard 1/2 --out "$work/part1"
expect 0 "report in" -- "$LINDIFF" merge --out "$work/merged" "$work/part0" "$work/part1"
if [ "$(sort "$work/merged/results.csv" | md5sum)" = "$(sort "$work/sharded/results.csv" | md5sum)" ] &&
   [ -s "$work/merged/report.html" ] && ls "$work"/merged/samples/synthetic_k1_unet_noise_N32_c0_s0_*/grid.png >/dev/null; then
  passes=$((passes + 1))
else echo "FAIL: merged shards differ from the collected run or lack the report/sample grids"; failures=$((failures + 1)); fi
expect 4 "already holds a run" -- "$LINDIFF" merge --out "$work/part0" "$work/part1"
cp -r "$work/part1" "$work/tampered"
sed -i '0,/,theory$/s/^\([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*\),[^,]*,theory$/\1,12345,theory/' "$work/tampered/results.csv"
expect 4 "disagree" -- "$LINDIFF" merge --out "$work/merged_bad" "$work/part1" "$work/tampered"
[ ! -e "$work/merged_bad/results.csv" ] && passes=$((passes + 1)) || { echo "FAIL: a failed merge wrote results"; failures=$((failures + 1)); }

# Early stopping: every cell keeps its best checkpoint and says which step its final model is.
expect 0 "results in" -- "$LINDIFF" train "$work/train.yaml" --set training.patience=1 --set training.models=[linear] --out "$work/early"
if [ "$(ls "$work"/early/checkpoints/*/best.pt | wc -l)" = 2 ] && [ "$(grep -c ',final_step,' "$work/early/results.csv")" = 2 ]; then
  passes=$((passes + 1))
else echo "FAIL: early stopping left no best.pt or final_step rows"; failures=$((failures + 1)); fi

# A diverging run stops with exit 5 naming the cell and commits no results; a changed config
# is refused on the finished run's folder (exit 3) and leaves it as it was.
before=$(md5sum <"$work/full/results.csv")
expect 5 "diverged" -- "$LINDIFF" run "$work/train.yaml" --set training.linear.learning_rate=1e9 --set training.n=[32] --out "$work/diverged"
[ ! -e "$work/diverged/results.csv" ] && passes=$((passes + 1)) || { echo "FAIL: a diverged run wrote results"; failures=$((failures + 1)); }
expect 3 "'training.linear.learning_rate' is" -- "$LINDIFF" run "$work/train.yaml" --set training.linear.learning_rate=1e9 --out "$work/full"
[ "$before" = "$(md5sum <"$work/full/results.csv")" ] && passes=$((passes + 1)) || { echo "FAIL: a refused run changed results"; failures=$((failures + 1)); }

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
