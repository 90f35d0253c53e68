#!/usr/bin/env bash
# Growth of each build phase from 10,000 to 50,000 sheets (issue 13: at most
# 5.5x each). Cold builds into a new folder, FICHES_TIMINGS phases, the
# binaries and the two sizes alternated so that the machine's drift falls on
# all of them alike.
#
#   bench/phase_growth.sh RUNS BIN [BIN...]
#
# Corpora: $BENCH_WORK/growth/cN (made by gen_corpus.py, seed 1, when absent).
# Raw rows (binary, sheets, phase, ms, load, CPU ms) go to $BENCH_WORK/growth/growth.tsv,
# then the medians and growth are printed. A run whose load average exceeds
# the core count is marked: its ratios are not to be reported.
#
# No build pays for the one before: after deleting the previous output the
# script runs `sync`, waits until Dirty + Writeback in /proc/meminfo are
# under 64 MiB (at most 60 s), then until GROWTH_SETTLE seconds (61) have
# passed since the deletion. ext4 without a journal (this machine's) skips
# the inodes freed in the last 60 s (300 s while their inode table block is
# dirty) each time it creates a file, scanning past them from the start of
# the group: a build that starts right after deleting a 50,000-sheet output
# (150,000 files) spends seconds of kernel time there, more with each
# output deleted. Set GROWTH_SETTLE=0 on a journalled file system. The
# input corpus stays in the page cache, as a user's does.
#
# GROWTH_OUT (default $BENCH_WORK/growth/out) puts the output elsewhere:
# on a machine whose file system has no journal, a loop-mounted ext4 image
# made by a plain `mkfs.ext4` (journalled, as a user's disk is) measures
# fiches rather than the kernel's scan (session 21: creating 20,000 files
# took 0.9 s there, 5.9 s on this machine's root after the bench's
# deletions):
#   truncate -s 20G IMG && mkfs.ext4 -q -F IMG && mount -o loop IMG DIR
#   GROWTH_SETTLE=0 GROWTH_OUT=DIR/out bench/phase_growth.sh 3 BIN...
set -euo pipefail
runs=${1:?runs}; shift
[ $# -ge 1 ] || { echo "usage: $0 RUNS BIN [BIN...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_WORK:-/var/tmp/fiches-bench}/growth
mkdir -p "$work"
for n in 10000 50000; do
  if [ ! -f "$work/c$n/fiches/book.toml" ]; then
    python3 "$here/gen_corpus.py" --sheets "$n" --seed 1 --formats fiches --out "$work/c$n" >/dev/null
  fi
done
out=${GROWTH_OUT:-$work/out}
tsv=$work/growth.tsv
: > "$tsv"
settle() {
  local deleted=$1 kb
  sync
  for _ in $(seq 1 60); do
    kb=$(awk '/^(Dirty|Writeback):/ {s += $2} END {print s}' /proc/meminfo)
    [ "$kb" -lt 65536 ] && break
    sleep 1
  done
  local left=$(( deleted + ${GROWTH_SETTLE:-61} - $(date +%s) ))
  [ "$left" -gt 0 ] && sleep "$left"
  return 0
}
for _ in $(seq 1 "$runs"); do
  for n in 10000 50000; do
    for b in "$@"; do
      rm -rf "$out"; settle "$(date +%s)"
      load=$(cut -d' ' -f1 /proc/loadavg)
      FICHES_TIMINGS=1 "$b" --root "$work/c$n/fiches" build -o "$out" 2>&1 >/dev/null \
        | sed -n 's/^\[timing\] //p' \
        | awk -v b="$(basename "$b")" -v n="$n" -v l="$load" '
          # The value is the last ": N ms" of the line: the parallel phase
          # names its two jobs first, "(pages alone: A ms, index alone: B ms): C ms".
          # Splitting at the first ": " took A, the pages alone, for the phase.
          function row(name, v, c) { print b "\t" n "\t" name "\t" v "\t" l "\t" c }
          {
            s = $0; off = 0; pos = 0
            while (match(substr(s, off + 1), /: [0-9.]+ ms/)) { pos = off + RSTART; len = RLENGTH; off = pos + len - 1 }
            if (!pos) next
            name = substr(s, 1, pos - 1); v = substr(s, pos + 2, len - 5); rest = substr(s, pos + len)
            c = ""; if (match(rest, /CPU [0-9.]+ s/)) c = substr(rest, RSTART + 4, RLENGTH - 6) * 1000
            if (match(name, / \(pages alone: [0-9.]+ ms, index alone: [0-9.]+ ms\)$/)) {
              inner = substr(name, RSTART); name = substr(name, 1, RSTART - 1)
              split(inner, x, /: | ms/)
              row("pages alone (in parallel)", x[2], ""); row("index alone (in parallel)", x[4], "")
            }
            row(name, v, c)
          }' >> "$tsv"
    done
  done
done
rm -rf "$out"
python3 - "$tsv" "$(nproc)" <<'EOF'
import collections, csv, statistics, sys
# binary, sheets, phase, wall ms, load[, CPU ms of the whole process]
rows = [r + [""] * (6 - len(r)) for r in csv.reader(open(sys.argv[1]), delimiter="\t") if len(r) in (5, 6)]
cores = int(sys.argv[2])
ms = collections.defaultdict(list)
cpu = collections.defaultdict(list)
for b, n, phase, v, _, c in rows:
    if not phase.startswith(" "):  # sub-phases are indented; top-level ones only
        ms[(b, phase, n)].append(float(v))
        if c:
            cpu[(b, phase, n)].append(float(c))
loads = [float(r[4]) for r in rows]
print(f"load average {min(loads):.2f}-{max(loads):.2f} ({cores} cores)")
if max(loads) > cores:
    print("WARNING: the machine was loaded; do not report these ratios")
for b in dict.fromkeys(r[0] for r in rows):
    print(f"\n{b}\n{'phase':58} {'10,000':>9} {'50,000':>9} {'growth':>7}   CPU ms (all threads) 10,000, 50,000, growth")
    for phase in dict.fromkeys(k[1] for k in ms if k[0] == b):
        a, c = ms.get((b, phase, "10000")), ms.get((b, phase, "50000"))
        if a and c and statistics.median(a) > 1:
            ma, mc = statistics.median(a), statistics.median(c)
            a, c = cpu.get((b, phase, "10000")), cpu.get((b, phase, "50000"))
            more = ""
            if a and c and statistics.median(a) > 0:
                ca, cc = statistics.median(a), statistics.median(c)
                more = f"   {ca:9.0f} {cc:9.0f} {cc / ca:6.2f}x"
            print(f"{phase[:58]:58} {ma:9.1f} {mc:9.1f} {mc / ma:6.2f}x{more}")
EOF
