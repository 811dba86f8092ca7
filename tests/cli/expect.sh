# Sourced by the CLI test scripts: pass/fail counting around one command's exit code and output.
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
