#!/usr/bin/env bash
# Issue 24's findings, each as a user would meet it: hostile names, writes outside the run
# folder, two experiments on one folder, foreign checkpoints, signals while gnuplot draws and
# before main(), ordinary problems with their documented exit codes. Needs $LINDIFF.
set -u
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export HOME="$work/home"  # a planted `touch PWNED` in $HOME would show here
mkdir -p "$HOME"
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"
check() {  # check DESCRIPTION -- COMMAND...: the command succeeds
  local what=$1
  shift 2
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
no_planted_files() { ! find "$work" -name 'PWNED*' | grep -q .; }

cat >"$work/tiny.yaml" <<YAML
name: hostile
dataset: {name: synthetic, synthetic: {shape: [4, 4], n_train: 64, n_test: 64}}
theory: {steps: 20, n: [8], c: [0], objectives: [noise], gd_steps: [0]}
training:
  models: [linear]
  n: [8]
  checkpoints: 3
  eval_samples: 64
  samples: 32
  linear: {steps: 40, batch_size: 16}
YAML

# 1. Names are data: refused where given (exit 3), never run, never a path.
expect 3 "datasets.0.label" -- "$LINDIFF" run "$work/tiny.yaml" --set 'dataset.label=x$(cd;touch PWNED)' --out "$work/n1"
expect 3 "datasets.0.label" -- "$LINDIFF" run "$work/tiny.yaml" --set 'dataset.label=x`touch PWNED2`' --out "$work/n2"
expect 3 "starts with '.'" -- "$LINDIFF" run "$work/tiny.yaml" --set dataset.label=../../escaped --out "$work/n3"
expect 3 "'/'" -- "$LINDIFF" run "$work/tiny.yaml" --set dataset.label=a/b --out "$work/n4"
expect 3 "\\x20" -- "$LINDIFF" run "$work/tiny.yaml" --set "name=two
lines" --out "$work/n5"
expect 3 "300 characters" -- "$LINDIFF" run "$work/tiny.yaml" --set "name=$(printf 'a%.0s' $(seq 300))" --out "$work/n6"
check "no file was planted and nothing escaped the folders" -- bash -c "! find '$work' -name 'PWNED*' | grep -q . && [ ! -e '$work/escaped' ]"

# 2. A finished run to work on.
expect 0 "results in" -- "$LINDIFF" run "$work/tiny.yaml" --out "$work/run"

# A shared folder whose results.csv carries a command in a dataset name: refused on reading (exit 4).
cp -r "$work/run" "$work/shared"
sed -i '2s/^synthetic_k1,/x$(touch PWNED3),/' "$work/shared/results.csv"
expect 4 "dataset name" -- "$LINDIFF" report "$work/shared"
check "report ran no planted command" -- no_planted_files

# report does not write through a symbolic link inside the run folder (exit 2, the link named).
cp -r "$work/run" "$work/linked"
mkdir -p "$work/elsewhere"
rm -rf "$work/linked/figures"
ln -s "$work/elsewhere" "$work/linked/figures"
expect 2 "is a symbolic link" -- "$LINDIFF" report "$work/linked"
check "nothing was written through the link" -- bash -c "[ -z \"\$(ls -A '$work/elsewhere')\" ]"

# 3. A run owns its folder from its first write: an interrupted run's folder refuses another
# experiment (exit 3, the differing key named) and the interrupted one then resumes.
long=(--set training.linear.steps=200000 --set training.checkpoints=2000)
"$LINDIFF" train "$work/tiny.yaml" "${long[@]}" --threads 1 --out "$work/owned" >"$work/owned.log" 2>&1 &
pid=$!
for _ in $(seq 100); do ls "$work"/owned/checkpoints/*/latest.pt >/dev/null 2>&1 && break; sleep 0.1; done
kill -TERM "$pid"; wait "$pid"
check "the interrupted run exits 130" -- grep -q "interrupted by SIGTERM" "$work/owned.log"
expect 3 "'datasets.0.synthetic.shape.0' is '4' there and '8' here" -- \
  "$LINDIFF" train "$work/tiny.yaml" "${long[@]}" --set 'dataset.synthetic.shape=[8, 8]' --out "$work/owned"
# Resumed under another thread count its numbers would match neither run: refused by name.
expect 3 "--threads 1" -- "$LINDIFF" train "$work/tiny.yaml" "${long[@]}" --threads 2 --out "$work/owned"
expect 3 "holds another run" -- "$LINDIFF" run "$work/tiny.yaml" --set 'dataset.synthetic.shape=[8, 8]' --out "$work/run"
expect 0 "replaced the run" -- "$LINDIFF" spectrum "$work/tiny.yaml" --set 'dataset.synthetic.shape=[8, 8]' --replace --out "$work/owned"

# merge refuses one label with two values of d (exit 4).
expect 0 "results in" -- "$LINDIFF" theory "$work/tiny.yaml" --set 'dataset.synthetic.shape=[2, 2]' --set theory.n=[4] --out "$work/d4"
expect 0 "results in" -- "$LINDIFF" theory "$work/tiny.yaml" --out "$work/d16"
expect 4 "d = 4 and d = 16" -- "$LINDIFF" merge --out "$work/mixed" "$work/d4" "$work/d16"
check "a refused merge leaves no folder" -- test ! -e "$work/mixed"

# A checkpoint of another cell is refused before it is loaded (exit 4, the file named).
expect 0 "results in" -- "$LINDIFF" train "$work/tiny.yaml" --set training.n=[8,16] --out "$work/cells"
a=$(ls -d "$work"/cells/checkpoints/*_N8_*/ | head -1); b=$(ls -d "$work"/cells/checkpoints/*_N16_*/ | head -1)
cp "$a/latest.pt" "$b/latest.pt"
rm "$b/rows.csv"
expect 4 "belongs to another cell" -- "$LINDIFF" train "$work/tiny.yaml" --set training.n=[8,16] --out "$work/cells"
# A corrupt checkpoint: the advice without LibTorch's C++ backtrace.
head -c 100 "$a/latest.pt" >"$b/latest.pt"
output=$("$LINDIFF" train "$work/tiny.yaml" --set training.n=[8,16] --out "$work/cells" 2>&1); code=$?
check "a corrupt checkpoint is exit 4 in a few lines (got $code, $(wc -l <<<"$output") lines)" -- \
  bash -c "[ $code = 4 ] && [ $(grep -c . <<<"$output") -le 6 ] && grep -q 'delete it' <<<'$output'"
# A corrupt cell.json: sample names it (exit 4).
echo '{"cell": 3' >"$a/cell.json"
expect 4 "cell.json" -- "$LINDIFF" sample "$a/latest.pt" --count 4 --out "$work/drawn"

# 4. Signals: SIGINT from the first instant, and while gnuplot draws, to lindiff alone or to
# its process group: exit 130 every time.
for delay in 0 0.05 0.2; do
  "$LINDIFF" run "$work/tiny.yaml" --out "$work/early" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"; kill -INT "$pid"; wait "$pid"; code=$?
  check "SIGINT after ${delay}s gives exit 130 (got $code)" -- test "$code" = 130
done
mkdir -p "$work/slowbin"
printf '#!/bin/sh\nexec sleep 30\n' >"$work/slowbin/gnuplot"
chmod +x "$work/slowbin/gnuplot"
PATH="$work/slowbin:$PATH" "$LINDIFF" report "$work/run" >/dev/null 2>&1 &
pid=$!
sleep 1.5; kill -INT "$pid"; wait "$pid"; code=$?
check "SIGINT to lindiff alone while gnuplot draws gives exit 130 (got $code)" -- test "$code" = 130
PATH="$work/slowbin:$PATH" setsid "$LINDIFF" report "$work/run" >/dev/null 2>&1 &
pid=$!
sleep 1.5; kill -INT -- "-$pid"; wait "$pid"; code=$?
check "SIGINT to the process group while gnuplot draws gives exit 130 (got $code)" -- test "$code" = 130

# 5. Ordinary problems: the documented exit codes, the path or key named.
touch "$work/a_file"
expect 2 "$work/a_file" -- "$LINDIFF" spectrum "$work/tiny.yaml" --out "$work/a_file"
expect 2 "/proc/version" -- "$LINDIFF" spectrum "$work/tiny.yaml" --out /proc/version/run
expect 3 "theory.mode_ranks" -- "$LINDIFF" config "$work/tiny.yaml" --set theory.mode_ranks=2147483647
expect 6 "training.unet.time_dim" -- "$LINDIFF" train "$work/tiny.yaml" --set training.models=[unet] --set training.unet.time_dim=268435456 --out "$work/big_unet"
output=$("$LINDIFF" sample "$a/latest.pt" --count 0 2>&1); code=$?
check "sample --count 0 is exit 2 with a short range (got $code: $output)" -- bash -c "[ $code = 2 ] && grep -q 1000000 <<<'$output' && [ ${#output} -lt 200 ]"
expect 0 "label: mine" -- "$LINDIFF" config "$work/tiny.yaml" --set datasets.0.label=mine
printf 'name: m\ndataset: synthetic\nspectrum: &s {examples: 2}\ntheory:\n  <<: *s\n' >"$work/merge_key.yaml"
expect 3 "merge key" -- "$LINDIFF" config "$work/merge_key.yaml"

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
