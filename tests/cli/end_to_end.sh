#!/usr/bin/env bash
# End-to-end checks of the lindiff executable: --help, exit codes and messages for bad
# input, and that a failed run leaves earlier results intact. Needs $LINDIFF.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0

# expect CODE FRAGMENT -- COMMAND...: the command exits with CODE and its output contains FRAGMENT.
expect() {
  local code=$1 fragment=$2
  shift 3
  local output
  output=$("$@" 2>&1)
  local actual=$?
  if [ "$actual" != "$code" ] || ! grep -qF -- "$fragment" <<<"$output"; then
    echo "FAIL: '$*' exited $actual (want $code), output lacks '$fragment' or differs:"
    echo "$output" | head -5
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}

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
dataset: {name: mnist, path: $work/nowhere}
YAML
cat >"$work/big_n.yaml" <<YAML
dataset: {name: synthetic, synthetic: {n_train: 20, n_test: 5}}
spectrum: {n_train: 21}
YAML
cat >"$work/corrupt.yaml" <<YAML
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

# A good run, then failing runs into the same folder: the results stay as they were.
expect 0 "results in" -- "$LINDIFF" spectrum "$work/ok.yaml" --out "$work/run"
before=$(cat "$work/run/results.csv" "$work/run/manifest.json" | md5sum)
expect 4 "$work/nowhere" -- "$LINDIFF" spectrum "$work/missing.yaml" --out "$work/run"
expect 4 "corrupt.idx" -- "$LINDIFF" spectrum "$work/corrupt.yaml" --out "$work/run"
after=$(cat "$work/run/results.csv" "$work/run/manifest.json" | md5sum)
if [ "$before" != "$after" ] || ls -a "$work/run" | grep -q staging; then
  echo "FAIL: a failed run changed earlier results or left a staging folder"
  failures=$((failures + 1))
else
  passes=$((passes + 1))
fi

# Same config and seed, same numbers.
"$LINDIFF" spectrum "$work/ok.yaml" --out "$work/again" >/dev/null 2>&1
if cmp -s "$work/run/results.csv" "$work/again/results.csv"; then
  passes=$((passes + 1))
else
  echo "FAIL: a rerun with the same config and seed gave different results.csv"
  failures=$((failures + 1))
fi

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
