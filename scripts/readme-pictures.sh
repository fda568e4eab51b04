#!/usr/bin/env bash
# Regenerates the README pictures: docs/images/责任书-1.png, page 1 of a sample letter, and
# docs/images/责任书-签署页.png, the signing page of a unit's letter whose labels are long (分管领导
# and 主要负责人), and docs/images/函告书-1.png, page 1 of a 函告书 in GB/T 9704's 信函格式 (in colour: its
# 标志 and rules are red), from a fresh build, rendered by LibreOffice with the free stand-ins of
# tests/fonts/fonts.conf.
# Needs soffice and pdftocairo (poppler-utils): bash .ci/fidelity-deps
set -euo pipefail
cd "$(dirname "$0")/.."

for t in soffice pdftocairo pdfinfo; do
  command -v "$t" >/dev/null || { echo "需要 $t：先运行 bash .ci/fidelity-deps" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cargo run --quiet --locked -- build samples -o "$tmp/out" --unit 办公室 >/dev/null
cargo run --quiet --locked -- build samples -o "$tmp/signing" --unit 市财政投资评审中心 >/dev/null
# A private LibreOffice profile, so a running LibreOffice or test run is not disturbed.
FONTCONFIG_FILE="$PWD/tests/fonts/fonts.conf" soffice -env:UserInstallation="file://$tmp/profile" \
  --headless --norestore --convert-to pdf --outdir "$tmp/pdf" "$tmp/out/责任书/"*.docx >/dev/null 2>&1
pdf=("$tmp/pdf/"*.pdf)
[ -f "${pdf[0]}" ] || { echo "soffice wrote no PDF" >&2; exit 1; }

mkdir -p docs/images
# 72 dpi: the A4 page at 595 × 842 pixels, small enough for the README.
pdftocairo -png -gray -r 72 -f 1 -l 1 -singlefile "${pdf[0]}" docs/images/责任书-1

letter=("$tmp/signing/责任书/"*-市财政投资评审中心.docx)
FONTCONFIG_FILE="$PWD/tests/fonts/fonts.conf" soffice -env:UserInstallation="file://$tmp/profile" \
  --headless --norestore --convert-to pdf --outdir "$tmp/signing-pdf" "${letter[0]}" >/dev/null 2>&1
signing=("$tmp/signing-pdf/"*.pdf)
last=$(pdfinfo "${signing[0]}" | awk '/^Pages:/ {print $2}')
pdftocairo -png -gray -r 72 -f "$last" -l "$last" -singlefile "${signing[0]}" docs/images/责任书-签署页
cargo run --quiet --locked -- build samples -o "$tmp/notice" --kind 函告书 --unit 机关第一党支部 >/dev/null
FONTCONFIG_FILE="$PWD/tests/fonts/fonts.conf" soffice -env:UserInstallation="file://$tmp/profile" \
  --headless --norestore --convert-to pdf --outdir "$tmp/notice-pdf" "$tmp/notice/函告书/"*.docx >/dev/null 2>&1
notice=("$tmp/notice-pdf/"*.pdf)
pdftocairo -png -r 72 -f 1 -l 1 -singlefile "${notice[0]}" docs/images/函告书-1
ls -l docs/images/责任书-1.png docs/images/责任书-签署页.png docs/images/函告书-1.png
