#!/usr/bin/env bash
# First-query bytes at 10,000 generated sheets, seeds 1 and 2 (issue 14's
# 100 KiB p90 budget): bench/first_query_seeds.sh BIN [WORK]
# Builds gen_corpus.py's corpus once per seed under WORK (default
# /var/tmp/fiches-first-query), then runs bench/first_query.mjs on it.
set -euo pipefail
bin=$(realpath "$1"); work=${2:-/var/tmp/fiches-first-query}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
for s in 1 2; do
  gen="$work/gen-10000-s$s"
  [ -d "$gen/fiches/content/fiches" ] || python3 "$here/gen_corpus.py" --out "$gen" --sheets 10000 --seed "$s" --formats fiches --quiet
  out="$work/out-s$s"
  rm -rf "$out"
  "$bin" --root "$gen/fiches" build --quiet --output "$out"
  echo "seed $s: $(node "$here/first_query.mjs" fiches "$out" "$here/queries.json" 10)"
  rm -rf "$out"
done
