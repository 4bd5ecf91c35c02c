#!/bin/sh
# `make docs` part two: the pictures of the printed documents in README.md, made from
# the real output of the demo ledger, rendered as an office prints them (LibreOffice
# for xlsx/docx, Chromium for html) to PDF and then PNG. Needs a renderer:
# RENDER_PNG (default ../shared/tools/render-png) taking FILE OUTDIR.
set -eu
render=${RENDER_PNG:-../shared/tools/render-png}
if [ ! -x "$render" ]; then
  echo "docs/pictures.sh: no renderer at $render (set RENDER_PNG); pictures left as they are"
  exit 0
fi
oa=${OA:-.venv/bin/oa}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OA_DB="$work/ledger.db" OA_CONFIG=examples/config.yaml OA_USER=王秘书 OA_LANG=zh
$oa import examples/items.yaml 2>/dev/null
OA=$oa sh examples/story.sh
$oa daily --format html > "$work/daily.html"
$oa stats --format html > "$work/stats.html"
$oa weekly --format html > "$work/weekly.html"
$oa notice --format docx -o "$work/notice.docx" 2>/dev/null
$oa export -o "$work/ledger.xlsx" 2>/dev/null
for doc in daily.html stats.html weekly.html notice.docx ledger.xlsx; do
  "$render" "$work/$doc" "$work/png" >/dev/null
  name=${doc%.*}
  cp "$work/png/$name-1.png" "docs/img/$name.png" 2>/dev/null \
    || cp "$work/png/$name-01.png" "docs/img/$name.png"
done
ls -la docs/img
