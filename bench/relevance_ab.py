#!/usr/bin/env python3
"""A/B of two fiches binaries on every relevance set (rank30's loop): the
sites are made once and kept, each binary is evaluated with the CLI
(`fiches search --eval`) with an index cache of its own, then compared
query by query.
  relevance_ab.py make                     sites for 0, 1000 s1, 10000 s1, 1000 s2, 10000 s2
  relevance_ab.py eval LABEL BIN [--sets a,b] [--runs r1,r2]
  relevance_ab.py cmp A B                  rows and queries whose rank moved
Work folder: RELEVANCE_AB_WORK (default /var/tmp/fiches-relevance-ab);
sites and sets as bench/relevance.py finds them (FICHES_SHARED for the
shared corpus).
"""
import json, os, subprocess, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
import relevance as R
W = Path(os.environ.get("RELEVANCE_AB_WORK", "/var/tmp/fiches-relevance-ab"))
RUNS = [("0", 0, 0), ("1k-s1", 1000, 1), ("10k-s1", 10000, 1), ("1k-s2", 1000, 2), ("10k-s2", 10000, 2)]

def gen(n, seed):
    g = W / f"gen-{n}-s{seed}"
    if not (g / "fiches/content/fiches").is_dir():
        subprocess.run([sys.executable, str(R.REPO / "bench/gen_corpus.py"), "--out", str(g), "--sheets", str(n),
                        "--seed", str(seed), "--formats", "fiches", "--quiet"], check=True)
    return g / "fiches"

def make():
    for run, n, seed in RUNS:
        g = gen(n, seed) if n else None
        for s in R.sites():
            d = W / "sites" / f"{s['name']}-{run}"
            if d.exists():
                continue
            R.make_site(s["root"], g, d)
            print("made", d, file=sys.stderr)

def evaluate(label, binary, sets=None, runs=None):
    out = W / f"res-{label}.json"
    res = json.loads(out.read_text()) if out.exists() else {}
    for run, n, seed in RUNS:
        if runs and run not in runs:
            continue
        for s in R.sites():
            d = W / "sites" / f"{s['name']}-{run}"
            cache = W / f"cache-{label}" / f"{s['name']}-{run}"
            for name, qset in s["sets"].items():
                if sets and name not in sets:
                    continue
                cmd = [binary, "--root", str(d), "search", "--eval", str(qset), "--format", "json", "--limit", "20"]
                env = {**os.environ, "FICHES_CACHE_DIR": str(cache), "NO_COLOR": "1"}
                r = subprocess.run(cmd, capture_output=True, text=True, env=env)
                if r.returncode:
                    sys.exit(r.stderr[-3000:])
                e = json.loads(r.stdout)
                res[f"{name}|{run}"] = {"hits": e["hits"], "n": e["queries"], "mrr": e["mrr"],
                    "q": {o["q"]: [min(o["ranks"]) if o["ranks"] else None, (o["ids"] or ["-"])[:3]] for o in e["results"]}}
                print(f"{name:16} {run:7} {e['hits']}/{e['queries']} {e['mrr']:.3f}", file=sys.stderr)
            out.write_text(json.dumps(res, ensure_ascii=False, indent=0))

def cmp(a, b):
    A = json.loads((W / f"res-{a}.json").read_text()); B = json.loads((W / f"res-{b}.json").read_text())
    tot = {}
    for k in A:
        if k not in B: continue
        x, y = A[k], B[k]
        name = k.split("|")[0]
        t = tot.setdefault(name, [0, 0, 0])
        t[0] += x["hits"]; t[1] += y["hits"]; t[2] += 1
        if x["hits"] != y["hits"] or abs(x["mrr"] - y["mrr"]) > 1e-9:
            print(f"{k:26} hits {x['hits']}->{y['hits']}/{x['n']}  mrr {x['mrr']:.3f}->{y['mrr']:.3f}")
            for q in x["q"]:
                r1, r2 = x["q"][q][0], y["q"][q][0]
                if r1 != r2:
                    print(f"     {str(r1):>4} -> {str(r2):<4} {q}   [{y['q'][q][1][0]}]")
    print("hits over runs:", ", ".join(f"{n} {t[0]} -> {t[1]} ({t[2]})" for n, t in sorted(tot.items())))

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make": make()
    elif cmd == "eval":
        import argparse
        ap = argparse.ArgumentParser(); ap.add_argument("label"); ap.add_argument("bin")
        ap.add_argument("--sets"); ap.add_argument("--runs")
        a = ap.parse_args(sys.argv[2:])
        evaluate(a.label, a.bin, a.sets and a.sets.split(","), a.runs and a.runs.split(","))
    elif cmd == "cmp": cmp(sys.argv[2], sys.argv[3])
