#!/usr/bin/env python3
"""Measures fiches against its peers on the same generated corpus.

Driven by bench/peers.sh (which installs the peers); usable alone:

    python3 bench/run_bench.py --fiches target/release/fiches --sizes 1000,10000 --runs 3

For each size and corpus shape (bench/gen_corpus.py, fixed seed; --shapes
long,short), then for each peer: one cold build of each tool into an empty
folder, then --runs rebuilds over the previous output (what users do),
alternated (fiches, peer, fiches, peer, ...). Reports, per tool: median wall
time of the rebuilds, the cold build, peak RSS (/usr/bin/time -v), output
size and file count, search index size raw and gzip (each file gzipped
alone, as a server sends it), bytes downloaded by a first query
(bench/first_query.mjs), fiches' phases (--timings), and, for `serve`: the
time until a saved change shows, until the browser's search engine finds
the new word (bench/serve_search.mjs), until a new sheet is served and a
removed one is gone, and the server's resident memory.
Ratios are fiches/peer, from the fiches runs alternated with that peer. Each
run records the load average at its start and the CPU other processes used
during it; a loaded run is flagged and no ratio is reported from it.
Raw data (every run) goes to --results/TAG.json, the table to TAG.md.

With no peer (--tools ''), fiches runs alone: e.g. 50,000 sheets.

Writes a Markdown table and a JSON file into --results (default bench/results/).
Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.json"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def which(name: str, extra: list[Path] = ()) -> str | None:
    for d in extra:
        p = Path(d) / name
        if p.exists() and os.access(p, os.X_OK):
            return str(p)
    return shutil.which(name)


# ---------------------------------------------------------------- measuring

def cpu_busy_s() -> float:
    """Seconds of CPU time the whole machine has spent busy since boot."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal
    return (v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] if len(v) > 7 else 0)) / os.sysconf("SC_CLK_TCK")


NPROC = os.cpu_count() or 1
# Other processes may use this much CPU (in cores, on average) during a run
# before the run counts as loaded and its ratios are not reported.
OTHERS_MAX = 0.5


SETTLE_MAX_S = 120


def settle() -> float:
    """Waits (at most SETTLE_MAX_S) for the 1-minute load average to fall to
    the core count, and returns it. The average lags by about a minute, so
    right after one of our own runs it still counts that run: without this
    wait, a run that follows another would be flagged as loaded on an idle
    machine. A machine that stays busy is still flagged."""
    deadline = time.monotonic() + SETTLE_MAX_S
    load = os.getloadavg()[0]
    while load > NPROC and time.monotonic() < deadline:
        time.sleep(2)
        load = os.getloadavg()[0]
    return load


def timed(cmd: list[str], cwd: Path | None = None, env: dict | None = None, timeout: float = 7200) -> dict:
    """Runs `cmd` under nice and /usr/bin/time -v: wall seconds, peak RSS
    (KiB), and how loaded the machine was: the load average at the start,
    and the CPU that other processes used during the run (machine busy time
    minus the command's own user+system time)."""
    full = ["nice", "-n", "19", "/usr/bin/time", "-v"] + cmd
    load = settle()
    busy0 = cpu_busy_s()
    t0 = time.perf_counter()
    p = subprocess.run(full, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    busy = cpu_busy_s() - busy0
    rss = 0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if m:
        rss = int(m.group(1))
    own = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", p.stderr))
    if p.returncode != 0:
        tail = "\n".join(p.stderr.strip().splitlines()[-25:])
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{tail}")
    others = max(0.0, (busy - own) / wall) if wall > 0 else 0.0
    loaded = load > NPROC or others > OTHERS_MAX
    if loaded:
        log(f"  WARNING: machine loaded during {Path(cmd[0]).name} (load average {load:.1f} at start for {NPROC} cores, "
            f"other processes used {others:.2f} cores): no ratio is reported from this run")
    return {"wall": wall, "rss_kib": rss, "load": load, "others_cores": round(others, 3), "cpu_s": own, "loaded": loaded}


def tree_size(root: Path, sub: str | None = None, pred=None) -> tuple[int, int, int]:
    """(files, raw bytes, gzip bytes) of the files under root/sub."""
    base = root / sub if sub else root
    files = raw = gz = 0
    if not base.exists():
        return (0, 0, 0)
    for dirpath, _, names in os.walk(base):
        for n in names:
            p = Path(dirpath) / n
            if pred and not pred(p):
                continue
            files += 1
            data = p.read_bytes()
            raw += len(data)
            gz += gzipped(data)
    return files, raw, gz


def tree_bytes(root: Path) -> tuple[int, int]:
    files = raw = 0
    for dirpath, _, names in os.walk(root):
        for n in names:
            files += 1
            raw += os.lstat(os.path.join(dirpath, n)).st_size
    return files, raw


def gzipped(data: bytes) -> int:
    if data[:2] == b"\x1f\x8b":  # already compressed (Pagefind's files)
        return len(data)
    return min(len(data), len(gzip.compress(data, 6, mtime=0)))


def first_query(kind: str, site: Path) -> dict | None:
    node = shutil.which("node")
    if not node:
        return None
    p = subprocess.run([node, str(HERE / "first_query.mjs"), kind, str(site), str(QUERIES), "10"],
                       capture_output=True, text=True, timeout=1800)
    if p.returncode != 0:
        log(f"  first query ({kind}) failed: {p.stderr.strip()[-800:]}")
        return None
    return json.loads(p.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- tools

class Tool:
    name = ""
    label = ""
    corpus = ""  # format folder of the generated corpus

    def __init__(self, bins: dict):
        self.bins = bins

    def available(self) -> bool:
        return True

    def version(self) -> str:
        return ""

    def build(self, src: Path, out: Path) -> dict:
        raise NotImplementedError

    def index(self, out: Path) -> tuple[int, int, int]:
        return (0, 0, 0)

    def query(self, out: Path) -> dict | None:
        return None

    def serve(self, src: Path, port: int, tmp: Path):
        """(command, cwd, url of a sheet given its fiches id) or None."""
        return None


class Fiches(Tool):
    name, label, corpus = "fiches", "fiches", "fiches"

    def version(self):
        return subprocess.run([self.bins["fiches"], "--version"], capture_output=True, text=True).stdout.strip()

    def build(self, src, out):
        return timed([self.bins["fiches"], "--root", str(src), "build", "--quiet", "--output", str(out)])

    def index(self, out):
        return tree_size(out, "search")

    def phases(self, src, out):
        """Milliseconds per phase, from a cold build with FICHES_TIMINGS=1."""
        subprocess.run(["rm", "-rf", str(out)], check=False)
        p = subprocess.run(["nice", "-n", "19", self.bins["fiches"], "--root", str(src), "build", "--quiet", "--output", str(out)],
                           env=dict(os.environ, FICHES_TIMINGS="1"), capture_output=True, text=True)
        subprocess.run(["rm", "-rf", str(out)], check=False)
        # "[timing] PHASE: MS ms, CPU S s (RSS …, peak … MiB)"; the index's
        # own steps are indented ("[timing]   search index, STEP: …").
        ph = {}
        for m in re.finditer(r"^\[timing\] (\S.*): ([\d.]+) ms(?:, CPU ([\d.]+) s)?(?:.*peak (\d+) MiB)?", p.stderr, re.M):
            ph[m.group(1)] = float(m.group(2))
            if m.group(3):
                ph[m.group(1) + " (CPU ms)"] = float(m.group(3)) * 1000
            if m.group(4):
                ph[m.group(1) + " (peak MiB×1000)"] = float(m.group(4)) * 1000
        m = re.search(r"index alone: ([\d.]+) ms", p.stderr)
        if m:
            ph["index alone"] = float(m.group(1))
        return ph

    def query(self, out):
        return first_query("fiches", out)

    def serve(self, src, port, tmp):
        h = subprocess.run([self.bins["fiches"], "serve", "--help"], capture_output=True, text=True)
        if h.returncode != 0:
            return None
        cmd = [self.bins["fiches"], "--root", str(src), "serve"]
        if "--port" in h.stdout:
            cmd += ["--port", str(port)]
        if "--no-open" in h.stdout:
            cmd += ["--no-open"]
        if "--bind" in h.stdout:
            cmd += ["--bind", "127.0.0.1"]
        return cmd, src, lambda sid: f"http://127.0.0.1:{port}/fiches/{sid}/"


class Hugo(Tool):
    name, label, corpus = "hugo", "Hugo", "hugo"

    def available(self):
        return bool(self.bins.get("hugo"))

    def version(self):
        return subprocess.run([self.bins["hugo"], "version"], capture_output=True, text=True).stdout.split(" ")[1]

    def build(self, src, out):
        return timed([self.bins["hugo"], "--quiet", "--source", str(src), "--destination", str(out)])

    def serve(self, src, port, tmp):
        cmd = [self.bins["hugo"], "server", "--source", str(src), "--port", str(port), "--bind", "127.0.0.1",
               "--disableLiveReload", "--appendPort=false", "--baseURL", f"http://127.0.0.1:{port}/"]
        return cmd, src, lambda sid: f"http://127.0.0.1:{port}/fiches/{sid}/"


class HugoPagefind(Hugo):
    """Hugo, then Pagefind on its output: the same work as fiches' build."""
    name, label, corpus = "hugo+pagefind", "Hugo + Pagefind", "hugo"

    def available(self):
        return bool(self.bins.get("hugo")) and bool(self.bins.get("pagefind"))

    def version(self):
        pf = subprocess.run([self.bins["pagefind"], "--version"], capture_output=True, text=True).stdout.strip()
        return f"{super().version()} + {pf}"

    def build(self, src, out):
        h = super().build(src, out)
        p = timed([self.bins["pagefind"], "--site", str(out), "--quiet"])
        return {"wall": h["wall"] + p["wall"], "rss_kib": max(h["rss_kib"], p["rss_kib"]), "load": h["load"],
                "others_cores": max(h["others_cores"], p["others_cores"]), "cpu_s": h["cpu_s"] + p["cpu_s"],
                "loaded": h["loaded"] or p["loaded"], "parts": {"hugo": h, "pagefind": p}}

    def index(self, out):
        # The index proper: meta, chunks, fragments, filters (not the UI, not the wasm).
        return tree_size(out, "pagefind", lambda p: p.suffix in (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"))

    def query(self, out):
        return first_query("pagefind", out)

    def serve(self, src, port, tmp):
        return None  # measured as Hugo alone: `hugo server` does not run Pagefind


class MdBook(Tool):
    name, label, corpus = "mdbook", "mdBook", "mdbook"

    def available(self):
        return bool(self.bins.get("mdbook"))

    def version(self):
        return subprocess.run([self.bins["mdbook"], "--version"], capture_output=True, text=True).stdout.strip()

    def build(self, src, out):
        return timed([self.bins["mdbook"], "build", str(src), "--dest-dir", str(out)])

    def index(self, out):
        return tree_size(out, None, lambda p: p.parent == out and p.name.startswith("searchindex"))

    def query(self, out):
        # mdBook's search downloads the whole index (the .js when both exist).
        files = [p for p in out.iterdir() if p.name.startswith("searchindex")]
        js = [p for p in files if p.suffix == ".js"] or files
        if not js:
            return None
        data = js[0].read_bytes()
        return {"raw_median": len(data), "gzip_median": gzipped(data), "files_median": 1, "raw_max": len(data),
                "gzip_max": gzipped(data), "results_loaded": "all"}

    def serve(self, src, port, tmp):
        cmd = [self.bins["mdbook"], "serve", str(src), "--port", str(port), "--hostname", "127.0.0.1",
               "--dest-dir", str(tmp)]
        return cmd, src, lambda sid: f"http://127.0.0.1:{port}/{sid}.html"


class MkDocs(Tool):
    name, label, corpus = "mkdocs", "Material for MkDocs", "mkdocs"

    def available(self):
        return bool(self.bins.get("mkdocs"))

    def version(self):
        out = subprocess.run([self.bins["mkdocs"], "--version"], capture_output=True, text=True).stdout
        v = (re.search(r"version (\S+)", out) or re.search(r"(\S+)", out or "?")).group(1)
        py = Path(self.bins["mkdocs"]).parent / "python"
        mat = subprocess.run([str(py), "-c", "import material; print(material.__version__)"], capture_output=True, text=True).stdout.strip() if py.exists() else ""
        return f"{v} + material {mat}"

    def build(self, src, out):
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        return timed([self.bins["mkdocs"], "build", "--quiet", "--config-file", str(src / "mkdocs.yml"), "--site-dir", str(out)], env=env)

    def index(self, out):
        return tree_size(out, "search", lambda p: p.name.startswith("search_index"))

    def query(self, out):
        p = out / "search" / "search_index.json"
        if not p.exists():
            return None
        data = p.read_bytes()
        return {"raw_median": len(data), "gzip_median": gzipped(data), "files_median": 1, "raw_max": len(data),
                "gzip_max": gzipped(data), "results_loaded": "all"}


class Zola(Tool):
    name, label, corpus = "zola", "Zola", "zola"

    def available(self):
        return False  # no corpus format yet; see docs/benchmarks.md


# ---------------------------------------------------------------- serve latency

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5.0) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return None


def rss_mib(pid: int) -> tuple[float, float] | None:
    """(resident now, peak resident) of a process, in MiB."""
    try:
        st = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kb = {k: int(v.split()[0]) for k, v in (l.split(":", 1) for l in st.splitlines() if l.startswith(("VmRSS", "VmHWM")))}
    return kb.get("VmRSS", 0) / 1024, kb.get("VmHWM", 0) / 1024


def marker_word(rng) -> str:
    """A word no index holds, far (in edits) from the previous markers."""
    return "zq" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(9))


def wait_for(url: str, proc, want, timeout: float = 300) -> float | None:
    """Seconds until `want(body or None)` holds for GET url, polling a local
    server every 2 ms for 2 s, then every 20 ms."""
    t1 = time.perf_counter()
    while time.perf_counter() - t1 < timeout and proc.poll() is None:
        if want(get(url, 5)):
            return time.perf_counter() - t1
        time.sleep(0.002 if time.perf_counter() - t1 < 2 else 0.02)
    return None


def serve_latency(tool: Tool, src: Path, sheet_file: Path, sheet_id: str, tmp: Path, repeats: int) -> dict | None:
    port = free_port()
    spec = tool.serve(src, port, tmp)
    if spec is None:
        return None
    cmd, cwd, url_of = spec
    url = url_of(sheet_id)
    site = url[: url.index("/", len("http://")) + 1]
    original = sheet_file.read_text(encoding="utf-8")
    errlog = open(tmp.parent / f"serve-{tool.name}.log", "w")
    proc = subprocess.Popen(["nice", "-n", "19"] + cmd, cwd=cwd, stdout=errlog, stderr=subprocess.STDOUT,
                            start_new_session=True)
    rng = __import__("random").Random(7)
    lat, found, added, removed = [], [], [], []
    new_file = sheet_file.with_name("zz-mesure-ajout.md")
    try:
        t0 = time.perf_counter()
        while get(url, 2) is None:  # first build
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[0]} serve exited (see {errlog.name})")
            if time.perf_counter() - t0 > 3600:
                raise RuntimeError("serve not ready after 3600 s")
            time.sleep(0.2)
        startup = time.perf_counter() - t0
        time.sleep(5.0)  # let poll-based watchers take their first snapshot
        mem_start = rss_mib(proc.pid)
        node = shutil.which("node") if tool.name == "fiches" else None
        for i in range(repeats):
            marker = marker_word(rng)
            sheet_file.write_text(original + f"\n\nParagraphe ajouté {marker}.\n", encoding="utf-8")
            t1 = time.perf_counter()
            d = wait_for(url, proc, lambda b: bool(b) and marker in b)
            if d is None:
                raise RuntimeError("change never showed")
            lat.append(d)
            if node:
                # Until the browser's search engine, fed what serve serves, finds the new word.
                q = subprocess.run([node, str(HERE / "serve_search.mjs"), site, marker, "50", "120", sheet_id],
                                   capture_output=True, text=True, timeout=200)
                r = json.loads(q.stdout.strip().splitlines()[-1]) if q.stdout.strip() else {"found": False}
                found.append(time.perf_counter() - t1 if r.get("found") else None)
            time.sleep(1.5)
        out = {"median_s": statistics.median(lat), "runs": lat, "startup_s": startup}
        if found:
            ok = [x for x in found if x is not None]
            out["search_found_s"] = found
            out["search_median_s"] = statistics.median(ok) if len(ok) == len(found) else None
        if tool.name == "fiches":
            # A new sheet, then its removal: until the page is served, then gone.
            new_url = url_of(str(Path(sheet_id).with_name("zz-mesure-ajout")))
            for i in range(repeats):
                new_file.write_text(original, encoding="utf-8")
                added.append(wait_for(new_url, proc, lambda b: b is not None))
                time.sleep(1.5)
                new_file.unlink()
                removed.append(wait_for(new_url, proc, lambda b: b is None))
                time.sleep(1.5)
            out["add_s"], out["remove_s"] = added, removed
            out["add_median_s"] = statistics.median(added) if None not in added else None
            out["remove_median_s"] = statistics.median(removed) if None not in removed else None
            mem_end = rss_mib(proc.pid)
            if mem_start and mem_end:
                out["rss_mib_start"], out["rss_mib_end"], out["rss_mib_peak"] = mem_start[0], mem_end[0], mem_end[1]
        return out
    except Exception as e:
        log(f"  serve latency ({tool.label}) failed: {e}")
        return {"error": str(e)}
    finally:
        sheet_file.write_text(original, encoding="utf-8")
        if new_file.exists():
            new_file.unlink()
        errlog.close()
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except Exception:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except Exception:
                pass


# ---------------------------------------------------------------- driver

def sync_pause():
    """Lets the last run's writes reach the disk before the next run starts."""
    os.sync()
    time.sleep(1)


def summary(runs: list[dict], cold: dict, paired: list[dict] | None = None, paired_cold: dict | None = None) -> dict:
    """Medians of the rebuilds, the cold build, and the fiches runs alternated
    with them (for ratios). A ratio is only given when none of the runs it
    compares was loaded."""
    r = {"runs": runs, "cold": cold,
         "wall": statistics.median(x["wall"] for x in runs),
         "rss_kib": statistics.median(x["rss_kib"] for x in runs),
         "loaded": any(x["loaded"] for x in runs + [cold])}
    if paired is not None:
        r["paired_fiches"], r["paired_fiches_cold"] = paired, paired_cold
        r["paired_fiches_wall"] = statistics.median(x["wall"] for x in paired)
        r["paired_fiches_rss_kib"] = statistics.median(x["rss_kib"] for x in paired)
        r["loaded"] = r["loaded"] or any(x["loaded"] for x in paired + [paired_cold])
    return r


def fmt_s(x):
    return "—" if x is None else (f"{x:.2f} s" if x >= 1 else f"{x * 1000:.0f} ms")


def fmt_b(x):
    if x is None:
        return "—"
    for unit, k in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if x >= k:
            return f"{x / k:.1f} {unit}"
    return f"{x} B"


def ratio(a, b):
    return "—" if a is None or not b else f"{a / b:.2f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fiches", default=str(HERE.parent / "target" / "release" / "fiches"))
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tools", default="hugo+pagefind,mdbook,mkdocs,zola", help="peers, in order (Hugo alone is the Hugo half of hugo+pagefind)")
    ap.add_argument("--mkdocs-max", type=int, default=1000, help="largest size for MkDocs (its pages hold the whole nav: output grows as N²)")
    ap.add_argument("--peer-budget", type=float, default=1200, help="seconds of runs per peer and size; fewer runs (at least 1) past it")
    ap.add_argument("--serve-size", type=int, default=None, help="size at which serve latency is measured (default: largest)")
    ap.add_argument("--mdbook-serve-max", type=int, default=1000, help="largest size for `mdbook serve` (each rebuild is a full build: 14 min at 10,000)")
    ap.add_argument("--alone", default=None, help="only time fiches on these site folders (comma-separated), --alone-runs times each")
    ap.add_argument("--alone-runs", type=int, default=5)
    ap.add_argument("--serve-repeats", type=int, default=3)
    ap.add_argument("--no-serve", action="store_true")
    ap.add_argument("--shapes", default="long", help="corpus shapes of bench/gen_corpus.py, comma-separated: long,short")
    ap.add_argument("--timings", action="store_true", help="one more fiches build with FICHES_TIMINGS=1: time per phase")
    ap.add_argument("--tag", default="latest", help="name of the results files (TAG.json, TAG.md)")
    ap.add_argument("--work", default="/var/tmp/fiches-bench", help="corpora and outputs, outside any git repository (mdBook's watcher skips git-ignored paths)")
    ap.add_argument("--results", default=str(HERE / "results"))
    ap.add_argument("--peers-dir", default=str(HERE / ".peers"))
    a = ap.parse_args(argv)

    work = Path(a.work).resolve()
    peers = Path(a.peers_dir).resolve()
    bins = {
        "fiches": str(Path(a.fiches).resolve()),
        "hugo": which("hugo"),
        "pagefind": which("pagefind", [peers / "npm" / "node_modules" / ".bin"]),
        "mdbook": which("mdbook", [Path.home() / ".cargo" / "bin"]),
        "mkdocs": which("mkdocs", [peers / "venv" / "bin"]),
        "zola": which("zola"),
    }
    classes = {"hugo+pagefind": HugoPagefind, "hugo": Hugo, "mdbook": MdBook, "mkdocs": MkDocs, "zola": Zola}
    fiches = Fiches(bins)
    tools = []
    for t in [x.strip() for x in a.tools.split(",") if x.strip()]:
        tool = classes[t](bins)
        if tool.available():
            tools.append(tool)
        else:
            log(f"{tool.label}: not available, skipped")
    if a.alone:
        return alone(fiches, [Path(x).resolve() for x in a.alone.split(",")], a.alone_runs, Path(a.work).resolve())
    sizes = [int(s) for s in a.sizes.split(",")]
    shapes = [s.strip() for s in a.shapes.split(",") if s.strip()]
    serve_size = a.serve_size or max(sizes)
    versions = {"fiches": fiches.version(), **{t.name: t.version() for t in tools}}
    machine = {"nproc": os.cpu_count(), "uname": os.uname().release,
               "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "")}
    stub = "fsearch_stub" in (HERE.parent / "src" / "lib.rs").read_text() if (HERE.parent / "src" / "lib.rs").exists() else False
    results = {"versions": versions, "machine": machine, "runs": a.runs, "seed": a.seed, "search_stub": stub, "others_max": OTHERS_MAX,
               "command": "bench/peers.sh " + " ".join(sys.argv[1:]) if argv is None else "", "sizes": {}}
    log(f"versions: {versions}")

    for n, shape in [(n, sh) for n in sizes for sh in shapes]:
        key = str(n) if shape == "long" else f"{n}-{shape}"
        corpus = work / f"c{key}"
        fmts = sorted({"fiches"} | {t.corpus for t in tools if not (t.name == "mkdocs" and n > a.mkdocs_max)})
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--out", str(corpus), "--sheets", str(n),
                        "--seed", str(a.seed), "--shape", shape, "--formats", ",".join(fmts), "--quiet"], check=True)
        gen_s = time.perf_counter() - t0
        # The corpus was just written: flush it, so that the first build does
        # not compete with its write-back (it made run 1 up to 3x slower).
        os.sync()
        time.sleep(5)
        log(f"\n== {n} sheets, shape {shape} (corpus generated in {gen_s:.1f} s: {', '.join(fmts)})")
        outs = work / f"out{key}"
        if outs.exists():
            subprocess.run(["rm", "-rf", str(outs)], check=False)
        outs.mkdir(parents=True)
        res = {"generate_s": gen_s, "shape": shape, "sheets": n, "tools": {}}
        fiches_all, fiches_cold = [], []
        last_out = {}
        for tool in tools:
            if tool.name == "mkdocs" and n > a.mkdocs_max:
                res["tools"][tool.name] = {"skipped": f"sizes above {a.mkdocs_max} (every page holds the whole navigation)"}
                continue
            # What users do: the first build goes into an empty folder (cold),
            # every later one over the previous output (rebuild). Each tool
            # keeps its own output folder; runs alternate fiches and the peer.
            fo, po = outs / f"fiches-{tool.name}", outs / tool.name
            cold_f = fiches.build(corpus / "fiches", fo)
            sync_pause()
            cold_p = tool.build(corpus / tool.corpus, po)
            sync_pause()
            log(f"  cold: fiches {cold_f['wall']:.2f} s {cold_f['rss_kib'] // 1024} MiB | {tool.label} {cold_p['wall']:.2f} s "
                f"{cold_p['rss_kib'] // 1024} MiB")
            f_runs, p_runs = [], []
            spent = cold_p["wall"]
            for i in range(a.runs):
                r = fiches.build(corpus / "fiches", fo)
                sync_pause()
                f_runs.append(r)
                r2 = tool.build(corpus / tool.corpus, po)
                sync_pause()
                p_runs.append(r2)
                spent += r2["wall"]
                log(f"  rebuild {i + 1}: fiches {r['wall']:.2f} s {r['rss_kib'] // 1024} MiB | {tool.label} {r2['wall']:.2f} s "
                    f"{r2['rss_kib'] // 1024} MiB (load {r['load']:.1f}/{r2['load']:.1f}, others {r['others_cores']:.2f}/{r2['others_cores']:.2f} cores)")
                if spent > a.peer_budget and i + 1 < a.runs:
                    log(f"  {tool.label}: {spent:.0f} s spent, past the budget of {a.peer_budget:.0f} s: stopping at {i + 1} run(s)")
                    break
            last_out["fiches"], last_out[tool.name] = fo, po
            fiches_all += f_runs
            fiches_cold.append(cold_f)
            res["tools"][tool.name] = summary(p_runs, cold_p, f_runs, cold_f)
            if "parts" in p_runs[0]:
                res["tools"][tool.name]["parts_wall"] = {k: statistics.median(x["parts"][k]["wall"] for x in p_runs) for k in p_runs[0]["parts"]}
                # Hugo alone: the Hugo half of the same runs (no second series of Hugo builds).
                res["tools"]["hugo"] = summary([x["parts"]["hugo"] for x in p_runs], cold_p["parts"]["hugo"], f_runs, cold_f)
                res["tools"]["hugo"]["derived"] = True
        if not tools:
            # fiches alone (e.g. 50,000 sheets): one cold build, then rebuilds.
            fo = outs / "fiches"
            fiches_cold.append(fiches.build(corpus / "fiches", fo))
            sync_pause()
            for i in range(a.runs):
                fiches_all.append(fiches.build(corpus / "fiches", fo))
                sync_pause()
                log(f"  rebuild {i + 1}: fiches {fiches_all[-1]['wall']:.2f} s {fiches_all[-1]['rss_kib'] // 1024} MiB")
            last_out["fiches"] = fo
        if fiches_all:
            res["tools"]["fiches"] = summary(fiches_all, fiches_cold[0])
            if a.timings:
                res["tools"]["fiches"]["phases"] = fiches.phases(corpus / "fiches", outs / "fiches-phases")
        # sizes, index, first query
        for tool in [fiches] + tools:
            r = res["tools"].get(tool.name)
            if not r or "skipped" in r or tool.name not in last_out:
                continue
            out = last_out[tool.name]
            files, raw = tree_bytes(out)
            r["output_files"], r["output_bytes"] = files, raw
            if tool.name == "hugo+pagefind":
                hf, hr = tree_bytes(out)
                pf, pr = tree_bytes(out / "pagefind")
                res["tools"]["hugo"]["output_files"], res["tools"]["hugo"]["output_bytes"] = hf - pf, hr - pr
            ixf, ixr, ixg = tool.index(out)
            r["index_files"], r["index_bytes"], r["index_gzip"] = ixf, ixr, ixg
            q = tool.query(out)
            if q:
                r["first_query"] = {k: v for k, v in q.items() if k != "per_query"}
                raws = sorted(x["raw"] for x in q.get("per_query", []))
                if raws:
                    r["first_query"]["raw_p90"] = raws[max(0, -(-len(raws) * 9 // 10) - 1)]
            log(f"  {tool.label}: output {fmt_b(raw)} in {files} files; index {fmt_b(ixr)} ({fmt_b(ixg)} gzip)"
                + (f"; first query {fmt_b(q['raw_median'])} ({fmt_b(q['gzip_median'])} gzip)" if q else ""))
        # serve latency
        if not a.no_serve and shape == shapes[0] and (n == serve_size or (n <= a.mdbook_serve_max and any(t.name == "mdbook" for t in tools))):
            sid = None
            sheets = sorted((corpus / "fiches" / "content" / "fiches").rglob("*.md"))
            sheets = [s for s in sheets if s.name != "_index.md"]
            target = sheets[len(sheets) // 2]
            sid = str(target.relative_to(corpus / "fiches" / "content" / "fiches").with_suffix(""))
            serve_tools = [fiches] + ([Hugo(bins)] if any(t.name.startswith("hugo") for t in tools) else []) if n == serve_size else []
            serve_tools += [t for t in tools if t.name == "mdbook" and n <= a.mdbook_serve_max]
            for tool in serve_tools:
                src = corpus / tool.corpus
                f = {"fiches": target, "hugo": corpus / "hugo" / "content" / "fiches" / f"{sid}.md",
                     "mdbook": corpus / "mdbook" / "src" / f"{sid}.md"}[tool.name]
                log(f"  serve latency: {tool.label} ({sid})")
                lat = serve_latency(tool, src, f, sid, outs / f"serve-{tool.name}", a.serve_repeats)
                res["tools"].setdefault(tool.name, {})["serve"] = lat if lat else {"pending": True}
                if lat and "median_s" in lat:
                    log(f"    rebuild {fmt_s(lat['median_s'])} (first build {fmt_s(lat['startup_s'])})"
                        + (f"; found by search {fmt_s(lat.get('search_median_s'))}" if "search_found_s" in lat else "")
                        + (f"; add {fmt_s(lat.get('add_median_s'))}, remove {fmt_s(lat.get('remove_median_s'))}; "
                           f"RSS {lat.get('rss_mib_start', 0):.0f} → {lat.get('rss_mib_end', 0):.0f} MiB (peak {lat.get('rss_mib_peak', 0):.0f})"
                           if "add_s" in lat else ""))
                elif not lat:
                    log("    `serve` not available: pending")
        results["sizes"][key] = res
        rdir = Path(a.results)
        rdir.mkdir(parents=True, exist_ok=True)
        (rdir / f"{a.tag}.json").write_text(json.dumps(results, indent=1, default=str))
        (rdir / f"{a.tag}.md").write_text(render(results))
        # Between sizes, not between runs (rm is faster than shutil on big trees).
        subprocess.run(["rm", "-rf", str(outs)], check=False)

    print(render(results))
    return 0


def alone(fiches: Fiches, sites: list[Path], runs: int, work: Path) -> int:
    """fiches by itself: median wall time and peak RSS of `runs` builds of each site."""
    print(f"fiches: {fiches.version()} ({fiches.bins['fiches']}); {os.cpu_count()} cores; {runs} runs, median")
    print("")
    print("| site | sheets | build (median) | min–max | peak RSS (median) | output |")
    print("|---|---:|---:|---:|---:|---:|")
    for site in sites:
        rs = []
        for i in range(runs):
            out = work / f"alone-{site.name}-{i}"
            if out.exists():
                shutil.rmtree(out)
            os.sync()  # the previous run's output is written back before this one starts
            time.sleep(2)
            rs.append(fiches.build(site, out))
            log(f"  {site}: run {i + 1} {rs[-1]['wall']:.2f} s {rs[-1]['rss_kib'] // 1024} MiB (load {rs[-1]['load']:.1f})")
        files, raw = tree_bytes(out)
        n = sum(1 for p in (site / "content" / "fiches").rglob("*.md") if p.name != "_index.md")
        walls = [r["wall"] for r in rs]
        print(f"| `{site}` | {n} | {fmt_s(statistics.median(walls))} | {fmt_s(min(walls))}–{fmt_s(max(walls))} | "
              f"{fmt_b(statistics.median(r['rss_kib'] for r in rs) * 1024)} | {fmt_b(raw)} in {files} files |", flush=True)
        for i in range(runs):
            shutil.rmtree(work / f"alone-{site.name}-{i}", ignore_errors=True)
    return 0


def render(results: dict) -> str:
    lines = []
    v = results["versions"]
    lines.append("Versions: " + "; ".join(f"{k} {val}" for k, val in v.items()) + f". Machine: {results['machine']['nproc']} cores, "
                 f"{results['machine']['cpu']}, Linux {results['machine']['uname']}. Per tool and size: one cold build into an "
                 f"empty folder, then {results['runs']} rebuilds over the previous output, alternated with fiches; medians of the rebuilds. "
                 f"Ratios are fiches/peer from the alternated runs; none is given when a run was loaded (load average above "
                 f"{results['machine']['nproc']} or other processes using more than {results.get('others_max', OTHERS_MAX)} core).")
    lines.append("")
    for key, res in results["sizes"].items():
        t = res["tools"]
        f = t.get("fiches", {})
        n = res.get("sheets", int(key.split("-")[0]))
        lines.append(f"#### {n:,} sheets".replace(",", " ") + f", {res.get('shape', 'long')} shape")
        lines.append("")
        lines.append("| tool | rebuild (median) | fiches/peer | cold build | peak RSS | fiches/peer | output | files | index raw | index gzip | first query raw p90 (gzip median) |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

        def ratio_or_loaded(r, a_key, b_key):
            return "— (loaded)" if r.get("loaded") else ratio(r.get(a_key), r.get(b_key))

        def row(name, r, is_f=False):
            if "skipped" in r:
                return f"| {name} | skipped: {r['skipped']} | | | | | | | | | |"
            fq = r.get("first_query")
            fq_s = "—" if not fq else f"{fmt_b(fq.get('raw_p90', fq.get('raw_max')))} ({fmt_b(fq['gzip_median'])})"
            cold = fmt_s(r["cold"]["wall"]) if r.get("cold") else "—"
            n_runs = len(r.get("runs", []))
            wall = fmt_s(r.get("wall")) + ("" if n_runs >= results["runs"] else f" (n={n_runs})") + (" ⚠" if r.get("loaded") else "")
            common = (f"{fmt_b(r.get('output_bytes'))} | {r.get('output_files', '—')} | {fmt_b(r.get('index_bytes'))} | "
                      f"{fmt_b(r.get('index_gzip'))} | {fq_s} |")
            if is_f:
                return f"| **{name}** | {wall} | | {cold} | {fmt_b(r.get('rss_kib', 0) * 1024)} | | {common}"
            return (f"| {name} | {wall} | {ratio_or_loaded(r, 'paired_fiches_wall', 'wall')} | {cold} | {fmt_b(r.get('rss_kib', 0) * 1024)} | "
                    f"{ratio_or_loaded(r, 'paired_fiches_rss_kib', 'rss_kib')} | {common}")

        if f:
            lines.append(row("fiches", f, True))
        labels = {"hugo+pagefind": "Hugo + Pagefind", "hugo": "Hugo alone", "mdbook": "mdBook", "mkdocs": "Material for MkDocs", "zola": "Zola"}
        for k in ["hugo+pagefind", "hugo"] + [k for k in t if k not in ("fiches", "hugo+pagefind", "hugo")]:
            if k in t and ("runs" in t[k] or "skipped" in t[k]):
                lines.append(row(labels.get(k, k), t[k]))
        lines.append("")
        hp = t.get("hugo+pagefind", {}).get("parts_wall")
        if hp:
            lines.append(f"Hugo + Pagefind = Hugo {fmt_s(hp['hugo'])} + Pagefind {fmt_s(hp['pagefind'])}; peak RSS is the larger of the two. ")
        if f.get("phases"):
            lines.extend(["", "fiches phases (cold build, FICHES_TIMINGS=1):", "",
                          "| phase | wall | CPU | peak RSS at its end |", "|---|---:|---:|---:|"])
            ph = f["phases"]
            for k, v in ph.items():
                if k.endswith(")") and (k.endswith(" (CPU ms)") or k.endswith(" (peak MiB×1000)")):
                    continue
                cpu = ph.get(k + " (CPU ms)")
                peak = ph.get(k + " (peak MiB×1000)")
                lines.append(f"| {k} | {fmt_s(v / 1000)} | {fmt_s(cpu / 1000) if cpu is not None else '—'} | "
                             f"{f'{peak / 1000:.0f} MiB' if peak is not None else '—'} |")
            lines.append("")
        lines.append(f"Corpus generated in {res['generate_s']:.1f} s.")
        for k, r in t.items():
            sv = r.get("serve")
            if not sv:
                continue
            if "error" in sv or sv.get("pending"):
                lines.append(f"\n`{k} serve`: {sv.get('error', 'pending')}")
                continue
            parts = [f"page shows a saved change in {fmt_s(sv['median_s'])} (median of {len(sv['runs'])}; first build {fmt_s(sv['startup_s'])})"]
            if "search_found_s" in sv:
                parts.append(f"search finds the new word in {fmt_s(sv.get('search_median_s'))}")
            if "add_s" in sv:
                parts.append(f"a new sheet is served in {fmt_s(sv.get('add_median_s'))}, a removed one is gone in {fmt_s(sv.get('remove_median_s'))}")
            if "rss_mib_end" in sv:
                parts.append(f"resident memory {sv['rss_mib_start']:.0f} MiB after the first build, {sv['rss_mib_end']:.0f} MiB at the end, peak {sv['rss_mib_peak']:.0f} MiB")
            lines.append(f"\n`{k} serve`: " + "; ".join(parts) + ".")
        lines.append("")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
