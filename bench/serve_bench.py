#!/usr/bin/env python3
"""`fiches serve` on a large site: resident memory, save-to-search latency,
add and remove latency. Called by bench/serve-latency.sh; usable alone:

    python3 bench/serve_bench.py --fiches target/release/fiches \
        --site /var/tmp/perf13/c10k/fiches --work /var/tmp/serve13/bench --saves 15

The site is copied (symlinks kept) into --work before any sheet changes.
Reports, as medians over the saves:
- RSS of the serve process after the first build, after the saves, and its peak;
- save → the page shows the new text (the live folder is updated);
- save → the browser's own search engine (bench/serve_search.mjs, fed the
  served files) finds the new word;
- a new sheet → its page is served; the sheet removed → its page is gone;
- saves whose new word sorts early in the alphabet (`aa…`) and in the
  middle (`mo…`), apart: the shard cuts around a new word move (the
  regular saves' markers all start with `zq`, at the end), with the files
  each save's index update wrote (FICHES_TIMINGS' "written" laps).
Each figure comes with the load average at the start; timings at a load
above the core count are indicative only. Standard library only (and node
for the search check).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run_bench import free_port, get, marker_word, rss_mib, wait_for  # noqa: E402


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fiches", default=str(HERE.parent / "target/release/fiches"))
    ap.add_argument("--site", required=True, help="site root (with book.toml); copied, never changed")
    ap.add_argument("--work", required=True, help="scratch folder (the copy of the site goes there)")
    ap.add_argument("--saves", type=int, default=15)
    ap.add_argument("--adds", type=int, default=5)
    ap.add_argument("--early", type=int, default=3, help="saves of a new word early in the alphabet")
    ap.add_argument("--middle", type=int, default=3, help="saves of a new word in the middle of it")
    a = ap.parse_args()
    work = Path(a.work)
    site = work / "site"
    if site.exists():
        shutil.rmtree(site)
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", a.site, str(site)], check=True)
    sheets = sorted(p for p in (site / "content/fiches").rglob("*.md") if p.name != "_index.md")
    # Spread over the site, deterministic.
    step = max(1, len(sheets) // 7)
    picks = [sheets[(k * step + 3) % len(sheets)] for k in range(7)]
    port = free_port()
    log = open(work / "serve.log", "w")
    cmd = [a.fiches, "--root", str(site), "serve", "--port", str(port)]
    # Always timed: the files each update writes are read from its laps.
    env = dict(os.environ, FICHES_TIMINGS="1")
    print(f"machine: {os.cpu_count()} cores, load {load()} at start; {len(sheets)} sheets", flush=True)
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    base = f"http://127.0.0.1:{port}/"

    def url(p: Path) -> str:
        return base + "fiches/" + str(p.relative_to(site / "content/fiches").with_suffix("")) + "/"

    def sid(p: Path) -> str:
        return str(p.relative_to(site / "content/fiches").with_suffix(""))

    out: dict = {"sheets": len(sheets), "load_start": load()}
    try:
        t0 = time.perf_counter()
        while get(url(picks[0]), 2) is None:
            if proc.poll() is not None:
                raise RuntimeError("serve exited (see serve.log)")
            time.sleep(0.2)
        out["startup_s"] = time.perf_counter() - t0
        # The first search index is written in the background: wait for it.
        q = subprocess.run(["node", str(HERE / "serve_search.mjs"), base, "imprimante", "200", "300"],
                           capture_output=True, text=True)
        time.sleep(3.0)
        out["rss_first_mib"] = rss_mib(proc.pid)[0]
        rng = __import__("random").Random(7)
        page, found = [], []
        logf = work / "serve.log"

        def save(k: int, marker: str) -> tuple[float | None, float | None, int]:
            """Saves a pick with `marker` added: seconds to its page, to a
            search finding it, and the files the index updates wrote."""
            p = picks[k % len(picks)]
            original = p.read_text(encoding="utf-8")
            time.sleep(1.5)
            at = logf.stat().st_size
            p.write_text(original + f"\n\nParagraphe ajouté {marker}.\n", encoding="utf-8")
            t1 = time.perf_counter()
            d = wait_for(url(p), proc, lambda b: bool(b) and marker in b)
            q = subprocess.run(["node", str(HERE / "serve_search.mjs"), base, marker, "20", "120", sid(p)],
                               capture_output=True, text=True, timeout=200)
            r = json.loads(q.stdout.strip().splitlines()[-1]) if q.stdout.strip() else {"found": False}
            s = time.perf_counter() - t1 if r.get("found") else None
            # "live: N files hashed, M written[, R removed]", printed once
            # the files are written: the search may find the word first.
            t2, lines = time.perf_counter(), []
            while time.perf_counter() - t2 < 10 and not any(" hashed, " in x for x in lines):
                time.sleep(0.05)
                with open(logf, "rb") as f:
                    f.seek(at)
                    lines = f.read().decode("utf-8", "replace").splitlines()
            written = sum(int(x.split(" hashed, ")[1].split(" written")[0]) for x in lines if " hashed, " in x)
            return d, s, written

        zq_written = []
        for k in range(a.saves):
            d, s, w = save(k, marker_word(rng))
            page.append(d)
            found.append(s)
            zq_written.append(w)
        out["rss_after_saves_mib"] = rss_mib(proc.pid)[0]
        out["zq_written"] = zq_written
        # A new word early in the alphabet, then in its middle: the worst
        # case of a save before content-defined cuts (cdc17).
        for kind, prefix, n in (("early", "aa", a.early), ("middle", "mo", a.middle)):
            res = [save(a.saves + j, prefix + marker_word(rng)[2:]) for j in range(n)]
            out[f"{kind}_search_s"] = [r[1] for r in res]
            out[f"{kind}_written"] = [r[2] for r in res]
        added, removed = [], []
        src = picks[0]
        new = src.with_name("zz-mesure-ajout.md")
        for _ in range(a.adds):
            time.sleep(1.5)
            new.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
            added.append(wait_for(url(new), proc, lambda b: b is not None))
            time.sleep(1.5)
            new.unlink()
            removed.append(wait_for(url(new), proc, lambda b: b is None))
        rss = rss_mib(proc.pid)
        out.update(rss_end_mib=rss[0], rss_peak_mib=rss[1], load_end=load())
        # The figure above is taken while the last remove's late pages and
        # search update still run; this one once they are done, as the
        # first one (3 s after the index answered).
        time.sleep(3.0)
        out["rss_end_settled_mib"] = rss_mib(proc.pid)[0]
        med = lambda v: statistics.median(v) if v and None not in v else None  # noqa: E731
        out.update(page_s=page, search_s=found, add_s=added, remove_s=removed)
        out.update(page_median_s=med(page), search_median_s=med(found), add_median_s=med(added),
                   remove_median_s=med(removed))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=300)  # it removes its temporary site folder
        log.close()
    (work / "serve-bench.json").write_text(json.dumps(out, indent=1))
    f = lambda x: "n/a" if x is None else f"{x * 1000:.0f} ms"  # noqa: E731
    print(f"serve, {out['sheets']} sheets: first build and bind {out['startup_s']:.1f} s")
    print(f"  RSS: {out['rss_first_mib']:.0f} MiB after the first build, {out['rss_after_saves_mib']:.0f} MiB "
          f"after {a.saves} saves, {out['rss_end_mib']:.0f} MiB after {a.adds} adds and removes "
          f"({out['rss_end_settled_mib']:.0f} MiB 3 s later; peak {out['rss_peak_mib']:.0f} MiB)")
    print(f"  save → page updated: median {f(out['page_median_s'])}; save → search finds the new word: "
          f"median {f(out['search_median_s'])} (max {f(max((x for x in found if x), default=None))})")
    print(f"  add → page served: median {f(out['add_median_s'])}; remove → page gone: median "
          f"{f(out['remove_median_s'])}")
    print(f"  files written by a save's index update: zq… {out['zq_written']}")
    for kind in ("early", "middle"):
        if out.get(f"{kind}_search_s"):
            print(f"  new word {kind} in the alphabet: save → search "
                  f"{', '.join(f(x) for x in out[f'{kind}_search_s'])}; files written {out[f'{kind}_written']}")
    print(f"  load average {out['load_start']} at start, {out['load_end']} at end; raw: {work / 'serve-bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
