#!/usr/bin/env bash
# The bulk comparison of the README: installs docxtemplater and pizzip (npm) into a scratch
# folder, then runs `cargo bench --bench bulk -- --compare`, which measures zeren, zeren --merge,
# the floor (benches/floor.rs) and docxtemplater on the same 10,000 责任书, interleaved, to tmpfs.
#   bash benches/docxtemplater.sh [N] [--rounds R]
# Needs node and npm, and GNU time at /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${ZEREN_BENCH_SCRATCH:-${TMPDIR:-/tmp}/zeren-docxtemplater}"
mkdir -p "$scratch"
if [ ! -d "$scratch/node_modules/docxtemplater" ] || [ ! -d "$scratch/node_modules/pizzip" ]; then
  npm install --prefix "$scratch" --no-audit --no-fund --silent docxtemplater@3.71.0 pizzip@3.3.0
fi
echo "docxtemplater $(node -p "require('$scratch/node_modules/docxtemplater/package.json').version"), pizzip $(node -p "require('$scratch/node_modules/pizzip/package.json').version"), node $(node --version)"
ZEREN_DOCXTEMPLATER="$scratch/node_modules" cargo bench --bench bulk -- --compare "$@"
