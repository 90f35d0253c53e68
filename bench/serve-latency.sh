#!/bin/sh
# Time from saving one sheet to the live-reload event of `fiches serve`,
# median over several saves, for the college corpus and a synthetic site of
# N sheets (default 10000), made by bench/gen_corpus.py when Python 3 is
# there, else by the generator of tests/serve.rs.
#
#   bench/serve-latency.sh [N]        SAVES=15 by default
#   SITE=/var/tmp/perf13/c10k/fiches bench/serve-latency.sh
#                                     memory and search: bench/serve_bench.py
#
# With SITE (a site root; copied, never changed), runs bench/serve_bench.py on
# it with target/release/fiches: resident memory after the first build and
# after the saves, save → the browser's search engine finds the new word,
# add and remove latency (medians). The figures go to docs/benchmarks.md,
# section "Serve".
set -eu
cd "$(dirname "$0")/.."
N="${1:-10000}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT INT TERM
if [ -n "${SITE:-}" ]; then
    python3 bench/serve_bench.py --site "$SITE" --work "$TMP" --saves "${SAVES:-15}" --adds "${ADDS:-5}"
    exit $?
fi
if command -v python3 >/dev/null 2>&1 && [ -f bench/gen_corpus.py ]; then
    python3 bench/gen_corpus.py --out "$TMP" --sheets "$N" --formats fiches --quiet
    FICHES_BENCH_SITE="$TMP/fiches"
    export FICHES_BENCH_SITE
else
    FICHES_BENCH_SHEETS="$N"
    export FICHES_BENCH_SHEETS
fi
FICHES_BENCH_SAVES="${SAVES:-15}"
export FICHES_BENCH_SAVES
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
cargo test --release -p fiches --test serve -- --ignored --nocapture --test-threads 1 serve_latency 2>&1 \
    | grep -E '^(serve latency|large site|  )' || true
