#!/bin/sh
# Copies the files of the csv-spectrum npm package (BSD-2-Clause, Max Ogden:
# https://github.com/maxogden/csv-spectrum), a published suite of awkward
# CSV files with the values a parser must give, into this folder.
# src/exports/spectre.rs reads every file back and compares with its JSON.
# Run from this folder: sh obtenir.sh
set -eu
tmp=$(mktemp -d)
(cd "$tmp" && npm pack csv-spectrum@2.0.0 >/dev/null && tar xzf csv-spectrum-2.0.0.tgz)
rm -rf csvs json
cp -r "$tmp/package/csvs" "$tmp/package/json" .
rm -rf "$tmp"
