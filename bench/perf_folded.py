#!/usr/bin/env python3
"""Fold `perf script` output into flamegraph stacks and print the top costs.

    perf record -e cpu-clock -F 199 --call-graph dwarf,16384 -o P.data -- fiches build ...
    perf script -i P.data | python3 bench/perf_folded.py --folded P.folded --top 15

The folded file (one `frame;frame;... count` line per distinct stack) is the
input of any flamegraph renderer (flamegraph.pl, inferno, speedscope). The
table gives each function's inclusive share (samples with the function
anywhere on the stack, counted once) and self share (leaf frames), so the
top five costs of a build can be named before and after a change.
"""
import argparse
import collections
import re
import sys

# The inclusive table names the project's and its main libraries' functions
# only: rayon's, closures' and thread start-up frames are on every stack and
# say nothing of where the build spends its time (the folded file keeps all).
NAMED = re.compile(r"^<?(fiches|fiches_search|tera|pulldown_cmark|syntect|zlib_rs|flate2|"
                   r"sha2|serde_json|walkdir|std::fs)::")


def clean(sym):
    sym = re.sub(r"::h[0-9a-f]{16}$", "", sym)
    sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
    return sym.replace(";", ":")


def stacks(lines):
    frames = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                yield frames
            frames = []
            continue
        if line[0] not in " \t":
            continue  # the sample's header line (command, pid, time, event)
        parts = line.strip().split(None, 1)
        if len(parts) == 2:
            sym = parts[1].rsplit(" (", 1)[0]
            frames.append(clean(sym))
    if frames:
        yield frames


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folded", help="write folded stacks here")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    folded = collections.Counter()
    incl = collections.Counter()
    self_ = collections.Counter()
    total = 0
    for frames in stacks(sys.stdin):
        total += 1
        folded[";".join(reversed(frames))] += 1
        self_[frames[0]] += 1
        for f in set(frames):
            if NAMED.match(f) and "{closure" not in f:
                incl[f] += 1
    if args.folded:
        with open(args.folded, "w") as out:
            for k, v in sorted(folded.items()):
                out.write(f"{k} {v}\n")
    print(f"samples: {total}")
    print(f"{'inclusive':>9}  function")
    for f, n in incl.most_common(args.top):
        print(f"{100 * n / total:8.1f}%  {f}")
    print(f"{'self':>9}  function")
    for f, n in self_.most_common(args.top):
        print(f"{100 * n / total:8.1f}%  {f}")


if __name__ == "__main__":
    main()
