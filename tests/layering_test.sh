#!/usr/bin/env bash
# Checks that data flows one way through the folders: a folder includes only itself and the
# folders below it in this order (docs/architecture.md). Prints every include that runs back
# up the layers and fails if there is one.
#   usage: bash tests/layering_test.sh [SOURCE_DIR]
#          bash tests/layering_test.sh --self-test   (a planted back-arrow must be caught)
set -euo pipefail
if [ "${1:-}" = --self-test ]; then
  fixture=$(mktemp -d)
  trap 'rm -rf "$fixture"' EXIT
  for folder in src/common src/theory datasets src/config src/report src/figures src/analysis src/tensors models \
                src/diffusion src/training src/denoisers src/evaluation src/sweep src/jobs src/cli; do mkdir -p "$fixture/$folder"; done
  printf '#include "src/common/a.h"\n' > "$fixture/src/theory/fine.cpp"
  printf '#include "src/training/device.h"\n' > "$fixture/src/diffusion/sampler.cpp"
  if output=$(bash "$0" "$fixture"); then echo "layering self-test: the planted back-arrow passed"; exit 1; fi
  grep -q 'src/diffusion/sampler.cpp:1 includes src/training/device.h' <<<"$output" || { echo "$output"; exit 1; }
  echo "layering self-test: the planted back-arrow was caught"
  exit 0
fi
cd "${1:-$(dirname "$0")/..}"
LAYERS=(src/common src/theory datasets src/config src/report src/figures src/analysis
        src/tensors models src/diffusion src/training src/denoisers src/evaluation src/sweep src/jobs src/cli)
status=0
for folder in "${LAYERS[@]}"; do
  [ -d "$folder" ] || { echo "layering: folder $folder is missing (update LAYERS and docs/architecture.md)"; status=1; }
done
# One pass over every include: the rank of a file's folder against the rank of the included one.
grep -rn --include='*.h' --include='*.cpp' -E '^#include "' "${LAYERS[@]}" 2>/dev/null |
  awk -v layers="${LAYERS[*]}" '
    function folder_of(path,   parts, n) {
      n = split(path, parts, "/")
      if (parts[1] == "models" || parts[1] == "datasets") return parts[1]
      if (parts[1] == "src" && n >= 3) return parts[1] "/" parts[2]
      return ""
    }
    BEGIN { n = split(layers, list, " "); for (i = 1; i <= n; ++i) rank[list[i]] = i }
    {
      split($0, fields, ":"); file = fields[1]; line = fields[2]
      match($0, /#include "[^"]+"/); target = substr($0, RSTART + 10, RLENGTH - 11)
      from = folder_of(file); to = folder_of(target)
      if (to == "") next
      if (!(to in rank)) { printf "layering: %s:%s includes %s from %s, a folder outside the layers\n", file, line, target, to; bad = 1; next }
      if (rank[to] > rank[from]) { printf "layering: %s:%s includes %s: %s may not include %s (it lies above)\n", file, line, target, from, to; bad = 1 }
    }
    END { exit bad }' || status=1
[ "$status" = 0 ] && echo "layering: every include of the ${#LAYERS[@]} folders points down or sideways"
exit $status
