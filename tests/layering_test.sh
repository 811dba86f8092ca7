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
rank_of() {
  local i
  for i in "${!LAYERS[@]}"; do
    [ "${LAYERS[$i]}" = "$1" ] && { echo "$i"; return; }
  done
  echo -1
}
status=0
for i in "${!LAYERS[@]}"; do
  folder=${LAYERS[$i]}
  [ -d "$folder" ] || { echo "layering: folder $folder is missing (update LAYERS and docs/architecture.md)"; status=1; continue; }
  while IFS=: read -r file line include; do
    target=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$include")
    target_folder=$(dirname "$target")
    case "$target_folder" in models|datasets) ;; src/*) target_folder=$(cut -d/ -f1-2 <<<"$target_folder") ;; *) continue ;; esac
    j=$(rank_of "$target_folder")
    if [ "$j" -lt 0 ]; then
      echo "layering: $file:$line includes $target from $target_folder, a folder outside the layers"; status=1
    elif [ "$j" -gt "$i" ]; then
      echo "layering: $file:$line includes $target: $folder may not include $target_folder (it lies above)"; status=1
    fi
  done < <(grep -rn --include='*.h' --include='*.cpp' -E '^#include "' "$folder" || true)
done
[ "$status" = 0 ] && echo "layering: every include of the ${#LAYERS[@]} folders points down or sideways"
exit $status
