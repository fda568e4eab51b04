#!/bin/sh
# Writes the roster fuzzer's seed workbooks into corpus/roster: .xlsb records, merged regions
# (one reaching column 2^31), ODS spans, expansions (repeated rows and columns, runs of spaces,
# a shared string used by many cells of an xlsx, xlsb or xls) — small versions of the hostile files the bounds tests
# generate, plain and uncompressed. Run `cargo fuzz cmin` afterwards to keep the corpus minimal.
set -e
cd "$(dirname "$0")/.."
cargo test --test input_bounds write_fuzz_seeds -- --ignored
