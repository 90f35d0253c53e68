#!/usr/bin/env python3
"""Relevance at scale (issue 14): relevance sets hidden among N generated sheets.

    python3 bench/relevance.py --sizes 0,1000,10000,50000 --work /var/tmp/fiches-relevance

For each size N (0: the site alone) and each real site:
  - demo: this repository's site (book.toml, content/, static/), with the
    sets tests/fixtures/demo-queries.toml (clean) and
    tests/fixtures/demo-typos.toml (the same queries retyped on a phone) and
    tests/fixtures/demo-unseen.toml (queries written without looking at the
    ranking: symptoms in a teacher's words, SMS style, synonyms) and
    tests/fixtures/demo-unseen2.toml and tests/fixtures/demo-unseen3.toml
    (two more such sets, held out: never tuned on);
  - lycee: the example site tests/fixtures/lycee, with its queries.toml
    and tests/fixtures/lycee-unseen.toml (held out, rank27) and
    tests/fixtures/lycee-unseen2.toml (held out, rank31: everyday words);
  - cite: the example site tests/fixtures/cite-pool (a cité scolaire whose
    book.toml pools the sheets of tests/fixtures/cite-pool/commun), with
    tests/fixtures/cite-unseen.toml (held out, rank28);
  - dept: the example site tests/fixtures/dept-pool (a département's support
    team writing for every collège, in an administrative voice), with
    tests/fixtures/dept-unseen.toml (held out, rank29: mostly whole sentences
    and questions) and tests/fixtures/dept-unseen2.toml (held out, rank30:
    short phone queries, often a verb where the titles say a noun);
  - college: the shared corpus (../shared/corpus/college or $FICHES_SHARED),
    with its queries.toml, tests/fixtures/college-unseen.toml,
    tests/fixtures/college-unseen2.toml and college-unseen3.toml (held
    out) (read only
    when the shared corpus is there);
the script writes the real site plus N sheets of bench/gen_corpus.py (same
categories merged, the generated actions appended, images copied), builds it
with `fiches build`, then scores each set:
  - CLI: `fiches search --eval SET --format json --limit 20`;
  - browser: the site's own search engine (themes/default/assets/search-engine.js,
    or the engine script(s) given by --engine) run under Node on the built
    index by crates/fiches-search/tests/js/harness.js (`rank`), its ranked
    ids scored by the same Rust code: `fiches search --eval SET
    --eval-results RANKED.json`;
  - same order: queries whose first 10 ids are identical in both.
At --weight-size (10,000 by default) it also runs the harness's `measure`
(bytes downloaded by a first query, ms per keystroke in Node) and
bench/keystroke.mjs (ms per keystroke in Chromium, from file://; needs
`npm ci` in tests/browser) on the demo site's sets.

Prints a Markdown table (and the worst misses at the largest size) and
writes the raw figures to --json. Corpora and outputs go under --work,
deleted at the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HARNESS = REPO / "crates/fiches-search/tests/js/harness.js"


def shared_dir() -> Path:
    return Path(os.environ.get("FICHES_SHARED", REPO.parent / "shared"))


def sites() -> list[dict]:
    out = [
        {
            "name": "demo",
            "root": REPO,
            "sets": {
                "demo": REPO / "tests/fixtures/demo-queries.toml",
                "demo-typos": REPO / "tests/fixtures/demo-typos.toml",
                "demo-unseen": REPO / "tests/fixtures/demo-unseen.toml",
                # Held out (rank25): never tuned on.
                "demo-unseen2": REPO / "tests/fixtures/demo-unseen2.toml",
                # Held out (rank26): never tuned on.
                "demo-unseen3": REPO / "tests/fixtures/demo-unseen3.toml",
                # Held out (session 32): phone queries, abbreviations,
                # training paths; written before any measurement.
                "demo-unseen4": REPO / "tests/fixtures/demo-unseen4.toml",
            },
        }
    ]
    # The repository's lycée example site (rank27): a third site, always
    # there; lycee-unseen.toml was written before any rule was measured on it.
    lycee = REPO / "tests/fixtures/lycee"
    out.append({"name": "lycee", "root": lycee, "sets": {
        "lycee": lycee / "queries.toml",
        "lycee-unseen": REPO / "tests/fixtures/lycee-unseen.toml",
        # rank31: the everyday words for what the sheets name otherwise,
        # written and committed before any rule was measured on them.
        "lycee-unseen2": REPO / "tests/fixtures/lycee-unseen2.toml",
    }})
    # A fourth site (rank28), with a pool of shared sheets; cite-unseen.toml
    # was written and committed before any rule was measured on it.
    cite = REPO / "tests/fixtures/cite-pool"
    out.append({"name": "cite", "root": cite, "sets": {
        "cite-unseen": REPO / "tests/fixtures/cite-unseen.toml",
    }})
    # A fifth site (rank29), in a département's administrative voice;
    # dept-unseen.toml (mostly whole sentences) was written and committed
    # before any rule was measured on it.
    dept = REPO / "tests/fixtures/dept-pool"
    out.append({"name": "dept", "root": dept, "sets": {
        "dept-unseen": REPO / "tests/fixtures/dept-unseen.toml",
        # rank30: short phone queries, written and committed before any
        # rule was measured on them.
        "dept-unseen2": REPO / "tests/fixtures/dept-unseen2.toml",
    }})
    college = shared_dir() / "corpus/college"
    if college.is_dir():
        out.append({"name": "college", "root": college, "sets": {
            "college": college / "queries.toml",
            "college-unseen": REPO / "tests/fixtures/college-unseen.toml",
            "college-unseen2": REPO / "tests/fixtures/college-unseen2.toml",
            "college-unseen3": REPO / "tests/fixtures/college-unseen3.toml",
        }})
    else:
        print(f"note: {college} not found (set FICHES_SHARED): the college set is skipped", file=sys.stderr)
    return out


def engine_scripts(arg: str | None) -> str:
    """The engine script(s) for the harness: --engine, else the theme's
    *engine*.js if search.js has been split, else search.js."""
    if arg:
        return arg
    assets = REPO / "themes/default/assets"
    split = sorted(p for p in assets.glob("*.js") if "engine" in p.name)
    return ",".join(str(p) for p in (split or [assets / "search.js"]))


def run(cmd: list, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(map(str, cmd))}\n{r.stdout[-2000:]}\n{r.stderr[-4000:]}")
    return r


def merge_generated(site: Path, gen: Path) -> int:
    """Adds the generated sheets of `gen` (a gen_corpus.py fiches site) to
    `site`; returns how many sheets were added."""
    added = 0
    for cat in sorted((gen / "content/fiches").iterdir()):
        dest = site / "content/fiches" / cat.name
        if not dest.exists():
            shutil.copytree(cat, dest)
            added += sum(1 for p in dest.glob("*.md") if p.name != "_index.md")
            continue
        for p in sorted(cat.glob("*.md")):
            if p.name != "_index.md" and not (dest / p.name).exists():
                shutil.copy2(p, dest / p.name)
                added += 1
    images = site / "static/images"
    images.mkdir(parents=True, exist_ok=True)
    for p in (gen / "static/images").glob("*"):
        if not (images / p.name).exists():
            shutil.copy2(p, images / p.name)
    # Generated actions (sheets refer to them), those of the site kept.
    actions = site / "content/actions.toml"
    have = {a["id"] for a in tomllib.loads(actions.read_text())["action"]} if actions.exists() else set()
    extra = [a for a in tomllib.loads((gen / "content/actions.toml").read_text())["action"] if a["id"] not in have]
    with actions.open("a") as f:
        for a in extra:
            f.write("\n[[action]]\n")
            for k, v in a.items():
                f.write(f"{k} = {json.dumps(v, ensure_ascii=False)}\n")
    return added


def make_site(base: Path, gen: Path | None, dest: Path) -> int:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(base / "book.toml", dest / "book.toml")
    # The site's own folders and its pools' (relative `[[pool]] path`s).
    pools = [p["path"] for p in tomllib.loads((base / "book.toml").read_text()).get("pool", [])]
    for d in ("content", "static", *pools):
        if (base / d).is_dir():
            shutil.copytree(base / d, dest / d, symlinks=True)
    return merge_generated(dest, gen) if gen else 0


def evaluate(args, site: Path, cache: Path, qset: Path, results: Path | None = None) -> dict:
    # 20 deep, as the harness's `rank`: the MRR counts the same ranks on both sides.
    cmd = [args.fiches, "--root", site, "search", "--eval", qset, "--format", "json", "--limit", "20"]
    if results:
        cmd += ["--eval-results", results]
    env = {**os.environ, "FICHES_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    return json.loads(run(cmd, env=env).stdout)


def misses(e: dict) -> list[dict]:
    return [
        {"q": o["q"], "expect": o["expect"], "ranks": o["ranks"], "first": (o["ids"] or ["—"])[0]}
        for o in e["results"]
        if not o["hit"]
    ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0,1000,10000,50000", help="generated sheets per run (0: the site alone)")
    ap.add_argument("--work", default="/var/tmp/fiches-relevance", help="scratch folder (corpora, builds)")
    ap.add_argument("--fiches", default=str(REPO / "target/release/fiches"))
    ap.add_argument("--node", default=os.environ.get("NODE", "node"))
    ap.add_argument("--engine", help="engine script(s) for the harness, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--weight-size", type=int, default=10000, help="size at which first-query bytes and keystroke ms are measured")
    ap.add_argument("--json", help="write the raw figures there")
    ap.add_argument("--keep", action="store_true", help="keep --work")
    ap.add_argument("--reuse", action="store_true", help="reuse the corpora already generated under --work (gen-N)")
    ap.add_argument("--sites", help="only these sites, comma-separated (demo, lycee, cite, dept, college)")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    engine = engine_scripts(args.engine)
    rows, weight = [], None
    for n in [int(s) for s in args.sizes.split(",")]:
        gen = None
        if n:
            gen = work / f"gen-{n}"
            t = time.time()
            # A corpus already generated there (same size; --seed is the
            # caller's business) is reused: 50,000 sheets take minutes.
            if not (args.reuse and (gen / "fiches/content/fiches").is_dir()):
                run([sys.executable, REPO / "bench/gen_corpus.py", "--out", gen, "--sheets", n, "--seed", args.seed,
                     "--formats", "fiches", "--quiet"])
                print(f"generated {n} sheets in {time.time() - t:.1f} s", file=sys.stderr)
            gen = gen / "fiches"
        for s in sites():
            if args.sites and s["name"] not in args.sites.split(","):
                continue
            site = work / f"{s['name']}-{n}"
            out = work / f"{s['name']}-{n}-out"
            cache = work / f"{s['name']}-{n}-cache"
            added = make_site(s["root"], gen, site)
            t = time.time()
            run([args.fiches, "--root", site, "build", "--quiet", "--output", out])
            build_s = time.time() - t
            print(f"{s['name']} + {added} sheets: built in {build_s:.1f} s", file=sys.stderr)
            for set_name, qset in s["sets"].items():
                t = time.time()
                cli = evaluate(args, site, cache, qset)
                cli_s = time.time() - t
                queries = work / f"{set_name}-queries.json"
                queries.write_text(json.dumps([q["q"] for q in cli["results"]]))
                ranked = work / f"{set_name}-{n}-browser.json"
                t = time.time()
                run([args.node, HARNESS, "rank", out, engine, queries, ranked])
                js_s = time.time() - t
                js = evaluate(args, site, cache, qset, ranked)
                cli_ids = {o["q"]: o["ids"][:10] for o in cli["results"]}
                differ = [
                    {"q": o["q"], "cli": cli_ids[o["q"]], "browser": o["ids"][:10]}
                    for o in js["results"]
                    if o["ids"][:10] != cli_ids[o["q"]]
                ]
                row = {
                    "sheets": n,
                    "site": s["name"],
                    "docs_added": added,
                    "set": set_name,
                    "queries": cli["queries"],
                    "cli": {k: cli[k] for k in ("hits", "hit_rate", "mrr")},
                    "browser": {k: js[k] for k in ("hits", "hit_rate", "mrr")},
                    "same_order": cli["queries"] - len(differ),
                    "order_differences": differ,
                    "cli_misses": misses(cli),
                    "browser_misses": misses(js),
                    "build_s": round(build_s, 1),
                    "cli_eval_s": round(cli_s, 1),
                    "browser_eval_s": round(js_s, 1),
                }
                rows.append(row)
                print(f"  {set_name}: CLI {cli['hit_rate']:.3f}/{cli['mrr']:.3f}, browser "
                      f"{js['hit_rate']:.3f}/{js['mrr']:.3f}, same order {row['same_order']}/{cli['queries']}",
                      file=sys.stderr)
            if n == args.weight_size and s["name"] == "demo":
                qs = work / "weight-queries.json"
                allq = []
                # The two sets measured since issue 13, so that the figures compare.
                for qset in (s["sets"][k] for k in ("demo", "demo-typos")):
                    allq += [q["q"] for q in tomllib.loads(qset.read_text())["query"]]
                qs.write_text(json.dumps([{"q": q} for q in allq]))
                weight = json.loads(run([args.node, HARNESS, "measure", out, engine, qs]).stdout.splitlines()[-1])
                weight["sheets"] = n
                if (REPO / "tests/browser/node_modules/playwright-core").is_dir():
                    r = run([args.node, REPO / "bench/keystroke.mjs", out, qs])
                    weight["chromium"] = json.loads(r.stdout.splitlines()[-1])
                else:
                    print("note: tests/browser/node_modules missing (npm ci there): no Chromium timing", file=sys.stderr)
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
        if gen and not args.reuse:
            shutil.rmtree(gen.parent, ignore_errors=True)
    print(table(rows, weight))
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "weight": weight, "engine": engine}, indent=1,
                                              ensure_ascii=False))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def pct(x: float) -> str:
    return f"{x * 100:.1f} %"


# Issue 14's target reads on its two sets: the clean one (the demo site's
# queries and the college's queries.toml) and the typo one; the held-out sets
# are pooled apart, since nothing was tuned on them.
POOLS = [
    ("clean (demo + college)", lambda s: s in ("demo", "college")),
    ("typo (demo-typos)", lambda s: s == "demo-typos"),
    ("held out (every *-unseen set)", lambda s: "unseen" in s),
]


def pooled(rows: list[dict]) -> list[str]:
    """Hit rate of each pool per size and side, with its gap in points to
    the sites alone (size 0) when that size was run."""
    out = [
        "| sheets | pool | queries | CLI hit rate (gap) | browser hit rate (gap) |",
        "|---:|---|---:|---:|---:|",
    ]
    sizes = sorted({r["sheets"] for r in rows})
    for name, keep in POOLS:
        alone = None
        for n in sizes:
            rs = [r for r in rows if r["sheets"] == n and keep(r["set"])]
            q = sum(r["queries"] for r in rs)
            if not q:
                continue
            rate = {side: sum(r[side]["hits"] for r in rs) / q for side in ("cli", "browser")}
            if n == 0:
                alone = rate
            cells = []
            for side in ("cli", "browser"):
                gap = f" ({(rate[side] - alone[side]) * 100:+.1f})" if alone and n else ""
                cells.append(f"{pct(rate[side])}{gap}")
            out.append(f"| {n:,} | {name} | {q} | {cells[0]} | {cells[1]} |")
    return out


def table(rows: list[dict], weight: dict | None) -> str:
    out = [
        "| sheets added | set | queries | CLI hit rate | CLI MRR | browser hit rate | browser MRR | same ids, same order |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['docs_added']:,} | {r['set']} | {r['queries']} | {pct(r['cli']['hit_rate'])} | {r['cli']['mrr']:.3f} "
            f"| {pct(r['browser']['hit_rate'])} | {r['browser']['mrr']:.3f} | {r['same_order']}/{r['queries']} |"
        )
    out.append("")
    out.extend(pooled(rows))
    if weight:
        out.append("")
        out.append(
            f"At {weight['sheets']:,} generated sheets (demo site, clean and typo sets, browser engine under Node): "
            f"first query p90 {weight['first_query_bytes_p90'] / 1024:.1f} KiB raw "
            f"(median {weight['first_query_bytes_median'] / 1024:.1f} KiB, gzip median {weight['first_query_gzip_median'] / 1024:.1f} KiB); "
            f"keystroke p90 {weight['keystroke_ms_p90']:.1f} ms (median {weight['keystroke_ms_median']:.1f} ms, "
            f"{weight['keystrokes']} keystrokes)."
        )
        if "chromium" in weight:
            c = weight["chromium"]
            out.append("")
            out.append(
                f"Same site in Chromium from file:// (bench/keystroke.mjs): keystroke p90 {c['keystroke_ms_p90']:.1f} ms "
                f"(median {c['keystroke_ms_median']:.1f} ms, max {c['keystroke_ms_max']:.1f} ms, {c['keystrokes']} keystrokes)."
            )
    if rows:
        top = max(r["sheets"] for r in rows)
        out.append("")
        out.append(f"Misses at {top:,} generated sheets (expected id: its rank; what ranks first instead):")
        out.append("")
        for r in rows:
            if r["sheets"] != top:
                continue
            for side in ("cli", "browser"):
                for m in r[f"{side}_misses"]:
                    ranks = ", ".join(f"{e} {k if k else '—'}" for e, k in zip(m["expect"], m["ranks"]))
                    out.append(f"- {r['set']}, {side}: `{m['q']}` → {ranks}; first: {m['first']}")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
