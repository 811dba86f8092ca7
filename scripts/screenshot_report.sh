#!/usr/bin/env bash
# Opens a run's report.html in headless Chromium (from disk, no network) and saves one
# screenshot of the top of the page and one starting at each section heading.
#   usage: bash scripts/screenshot_report.sh RUN_DIR [OUT_DIR] [HEIGHT]
#   RUN_DIR   a run folder holding report.html
#   OUT_DIR   where report_top.png and report_s<i>.png go (default RUN_DIR/screenshots)
#   HEIGHT    window height in pixels (default 1600; the width is 1400)
# Exit codes: 0 done, 2 usage, 3 no report.html, 4 Chromium missing or failed.
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,8p' "$0"
  [ $# -ge 1 ] && exit 0 || exit 2
fi
run_dir=$1
out_dir=${2:-$run_dir/screenshots}
height=${3:-1600}
report=$(readlink -f "$run_dir/report.html" || true)
if [ -z "$report" ] || [ ! -s "$report" ]; then
  echo "screenshot_report: '$run_dir/report.html' does not exist (run lindiff run or lindiff report first)" >&2
  exit 3
fi
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "screenshot_report: Chromium not found (bash scripts/setup.sh installs it)" >&2; exit 4; }
mkdir -p "$out_dir"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# shot NAME PAGE: the top window of PAGE.
shot() {
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile/browser" \
    --window-size="1400,$height" --screenshot="$out_dir/$1.png" "file://$2" >/dev/null 2>&1 &&
    [ -s "$out_dir/$1.png" ] || { echo "screenshot_report: Chromium failed on $2" >&2; exit 4; }
}
shot report_top "$report"
# Headless Chromium does not paint a page opened at #fragment, so each section gets a copy
# of the report (head kept; one element per line) that starts at its heading.
for section in $(grep -o '^<h2 id="s[0-9]*"' "$report" | grep -o 's[0-9]*'); do
  awk -v start="<h2 id=\"$section\">" 'index($0, "<h1>") == 1 { skip = 1 } index($0, start) == 1 { skip = 0 } !skip' \
    "$report" >"$profile/$section.html"
  shot "report_$section" "$profile/$section.html"
done
echo "screenshots of $report in $out_dir"
