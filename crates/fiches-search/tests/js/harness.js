// Runs themes/default/assets/search-engine.js in a vm context (fake
// `window`, no DOM) against a browser index written by fiches-search.
//
//   node harness.js check   <site-dir> <search-engine.js> <cases.json>
//   node harness.js rank    <site-dir> <search-engine.js> <queries.json> [<out.json>]
//   node harness.js measure <site-dir> <search-engine.js> <queries.json>
//
// <search-engine.js> may list several scripts separated by commas, run in order
// (the engine's entry points are the same whichever file holds them:
// `window.__fichesSearch.engine` with ready(), search(q), getDocs(ords),
// snippet(doc, terms), moreText(doc); `__fichesSearch.loader` is replaced
// by a reader of <site-dir>/search/).
//
// Relevance is not scored here: the ranked ids go back to Rust
// (fiches_search::relevance, `fiches search --eval … --eval-results`).
// check: for every case {q, plan, cli:[{id,score}], same_plan} compares the
//   JS plan with the Rust one and the JS ranking with the CLI's; prints one
//   JSON line (last line of stdout) with `results: [{q, ids}]`.
// rank: the first 20 ids of each query ({q} or a string, as printed by
//   `fiches search --eval SET --print-queries`), as [{q, ids}] to <out.json>
//   or stdout.
// measure: bytes of a first query (fresh page: manifest + shards + docs of
//   the first page) and per-keystroke latency (queries typed letter by letter).
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const zlib = require('zlib');

const [mode, siteDir, scriptPath, casesPath] = process.argv.slice(2);
const sources = scriptPath.split(',').map((p) => [path.basename(p), fs.readFileSync(p, 'utf8')]);
const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8')).map((c) => (typeof c === 'string' ? { q: c } : c));
const PAGE = 10;

// A file the engine asks for, under <site-dir>/search/. Without
// DecompressionStream (a vm context) the engine loads its fallback
// inflater, a theme asset (`../assets/search-inflate.js`): the site's
// when it has one, else this repository's theme's.
function siteFile(file) {
  const p = path.join(siteDir, 'search', file);
  if (fs.existsSync(p) || !file.startsWith('../assets/')) return p;
  return path.join(__dirname, '..', '..', '..', '..', 'themes', 'default', 'assets', path.basename(file));
}

function newEngine() {
  const ctx = { console, Promise, setTimeout, clearTimeout, URLSearchParams, Math, JSON };
  ctx.window = ctx;
  vm.createContext(ctx);
  for (const [filename, source] of sources) vm.runInContext(source, ctx, { filename });
  const FS = ctx.__fichesSearch;
  const stats = { bytes: 0, gzip: 0, files: [], by: {} };
  FS.loader = (name, file) => {
    const src = fs.readFileSync(siteFile(file), 'utf8');
    stats.bytes += Buffer.byteLength(src);
    stats.gzip += zlib.gzipSync(src).length;
    stats.files.push(file);
    const cat = file.includes('/') ? file.split('/')[0] : file.replace('.js', '');
    stats.by[cat] = (stats.by[cat] || 0) + Buffer.byteLength(src);
    vm.runInContext(src, ctx, { filename: file });
    return Promise.resolve();
  };
  return { engine: FS.engine, stats };
}

// JSON with sorted keys (serde_json sorts them; JS keeps insertion order).
function canon(v) {
  if (Array.isArray(v)) return '[' + v.map(canon).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}';
  return JSON.stringify(v);
}

function sameNumber(a, b) {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** The first `n` ranked ids of `q` and the engine's result. */
async function rankedIds(engine, q, n) {
  const res = await engine.search(q);
  const top = res.ranked.slice(0, n);
  const docs = await engine.getDocs(top.map((r) => r[0]));
  return { res, top, docs, ids: docs.map((d) => d.id) };
}

async function check() {
  const { engine } = newEngine();
  await engine.ready();
  const failures = [], planDiffs = [], rankDiffs = [], results = [];
  let compared = 0;
  for (const c of cases) {
    const { res, top, docs, ids } = await rankedIds(engine, c.q, 20);
    results.push({ q: c.q, ids });
    if (canon(res.plan) !== canon(c.plan)) planDiffs.push(c.q + '\n js   ' + canon(res.plan) + '\n rust ' + canon(c.plan));
    // Same plan as the CLI → same ranking and scores expected.
    if (c.same_plan) {
      compared++;
      const n = Math.min(c.cli.length, 10);
      for (let i = 0; i < n; i++) {
        if (ids[i] !== c.cli[i].id || !sameNumber(top[i][1], c.cli[i].score)) {
          rankDiffs.push(`${c.q}: #${i + 1} js ${ids[i]} ${top[i] && top[i][1]} vs cli ${c.cli[i].id} ${c.cli[i].score}`);
          break;
        }
      }
    } else {
      // Different plan (the CLI also stems a word unknown to the corpus):
      // the two top results must still be among each other's top 3.
      const cliIds = c.cli.map((h) => h.id);
      for (let i = 0; i < Math.min(2, ids.length); i++) {
        if (cliIds.slice(0, 3).indexOf(ids[i]) < 0 || ids.slice(0, 3).indexOf(cliIds[i]) < 0) {
          rankDiffs.push(`${c.q}: js ${ids.slice(0, 3).join(' ')} vs cli ${cliIds.slice(0, 3).join(' ')} (plans differ)`);
          break;
        }
      }
    }
    // Snippets are data: every segment is plain text.
    for (const d of docs.slice(0, 3)) {
      const segs = engine.snippet(d, res.terms);
      if (!Array.isArray(segs) || segs.some((s) => typeof s.text !== 'string')) failures.push(`bad snippet for ${d.id}`);
    }
  }
  console.log(JSON.stringify({ results, failures, plan_diffs: planDiffs, rank_diffs: rankDiffs, compared }));
}

async function rank() {
  const { engine } = newEngine();
  await engine.ready();
  const results = [];
  for (const c of cases) results.push({ q: c.q, ids: (await rankedIds(engine, c.q, 20)).ids });
  const json = JSON.stringify(results);
  if (process.argv[6]) fs.writeFileSync(process.argv[6], json);
  else console.log(json);
}

function median(a) {
  const s = a.slice().sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}
function pct(a, p) {
  const s = a.slice().sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : 0;
}

async function measure() {
  const firstBytes = [], firstGzip = [], byCat = {};
  let worst = { bytes: 0 };
  for (const c of cases) {
    const { engine, stats } = newEngine();
    const res = await engine.search(c.q);
    const docs = await engine.getDocs(res.ranked.slice(0, PAGE).map((r) => r[0]));
    for (const d of docs) {
      if (!engine.snippet(d, res.terms).matched && d.m) engine.snippet(await engine.moreText(d), res.terms);
    }
    firstBytes.push(stats.bytes);
    firstGzip.push(stats.gzip);
    for (const k of Object.keys(stats.by)) (byCat[k] || (byCat[k] = [])).push(stats.by[k]);
    if (stats.bytes > worst.bytes) worst = { q: c.q, bytes: stats.bytes, files: stats.files.length };
  }
  // Keystroke latency: one page session per query, typed letter by letter.
  const lat = [];
  const cold = [];
  for (const c of cases) {
    const { engine } = newEngine();
    for (let i = 1; i <= c.q.length; i++) {
      const q = c.q.slice(0, i);
      const t0 = process.hrtime.bigint();
      const res = await engine.search(q);
      const docs = await engine.getDocs(res.ranked.slice(0, 8).map((r) => r[0]));
      for (const d of docs) {
        if (!engine.snippet(d, res.terms).matched && d.m) engine.snippet(await engine.moreText(d), res.terms);
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      lat.push(ms);
      if (i === 1) cold.push(ms);
    }
  }
  console.log(JSON.stringify({
    first_query_bytes_median: median(firstBytes),
    first_query_bytes_p90: pct(firstBytes, 0.9),
    first_query_gzip_median: median(firstGzip),
    first_query_bytes_max: worst,
    keystroke_ms_median: median(lat),
    keystroke_ms_p90: pct(lat, 0.9),
    keystroke_ms_max: pct(lat, 1),
    keystrokes: lat.length,
    first_query_by_kind_median: Object.fromEntries(Object.entries(byCat).map(([k, v]) => [k, median(v)])),
  }));
}

({ measure, rank, check }[mode] || check)().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
