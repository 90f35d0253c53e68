// Fuzzing the browser engine (search-engine.js) under Node (vm context, fake `window`, as
// harness.js): random queries against a browser index of random French
// text. No exception, no hang (each query has a time limit), snippets made
// of whole characters (no lone surrogate), and, for the queries the Rust
// side ran too, the same ids in the same order as the CLI.
//
//   node fuzz.js <site-dir> <search-engine.js> <cases.json> [random-queries] [seed]
//
// cases.json: {"words": [...], "cases": [{"q": "...", "cli": ["id", ...]}]}
// (`words`: the corpus words, used to build the random queries). Prints one
// JSON line: {queries, failures: [...], max_ms}.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const [siteDir, scriptPath, casesPath, nRandom = '200', seedArg = '1'] = process.argv.slice(2);
const source = fs.readFileSync(scriptPath, 'utf8');
const input = JSON.parse(fs.readFileSync(casesPath, 'utf8'));
const LIMIT_MS = 5000;

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
  vm.runInContext(source, ctx, { filename: 'search-engine.js' });
  const FS = ctx.__fichesSearch;
  FS.loader = (name, file) => {
    const src = fs.readFileSync(siteFile(file), 'utf8');
    vm.runInContext(src, ctx, { filename: file });
    return Promise.resolve();
  };
  return FS.engine;
}

// xorshift32: reproducible runs from a seed.
let state = (Number(seedArg) >>> 0) || 1;
function rnd(n) {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state % n;
}
const SPECIALS = ['\u00a0', '\u202f', '\u2009', '😀', '👩\u200d💻', 'e\u0301', '\u0000', '\u200f', '\u200e',
  '\u202e', '\ufeff', '\u3000', '\u2028', '\ufffd', ' ', ' ', ' ', '-', '\u2019', "'", ':', '?', '«', '»',
  '\ud800', '\udc00', 'İ', 'ß', 'Œ', 'ǅ', '\u0345', '\u{10ffff}'];
function randomQuery(words) {
  const parts = [];
  const n = 1 + rnd(6);
  for (let i = 0; i < n; i++) {
    const k = rnd(10);
    if (k < 5 && words.length) {
      let w = words[rnd(words.length)];
      const m = rnd(6);
      const a = Array.from(w);
      const p = rnd(a.length + 1);
      if (m === 0) a.splice(p, 1);                                   // letter missing
      else if (m === 1) a.splice(p, 0, a[p] || 'e');                 // doubled
      else if (m === 2 && p + 1 < a.length) [a[p], a[p + 1]] = [a[p + 1], a[p]]; // swapped
      else if (m === 3) a.splice(p, 0, SPECIALS[rnd(SPECIALS.length)]);
      else if (m === 4) w = w.toUpperCase();
      parts.push(m === 4 ? w : a.join(''));
    } else if (k < 8) {
      parts.push(SPECIALS[rnd(SPECIALS.length)]);
    } else {
      let s = '';
      for (let j = rnd(12); j > 0; j--) s += String.fromCodePoint(rnd(3) ? 32 + rnd(0x250) : rnd(0x11000));
      parts.push(s);
    }
  }
  return parts.join(rnd(3) ? ' ' : '');
}

function withTimeout(p, what) {
  let t;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise((_, rej) => { t = setTimeout(() => rej(new Error('timeout (hang?) on ' + what)), LIMIT_MS); }),
  ]);
}

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/;

async function one(engine, q, failures) {
  const t0 = Date.now();
  try {
    const res = await withTimeout(engine.search(q), JSON.stringify(q));
    const docs = await withTimeout(engine.getDocs(res.ranked.slice(0, 10).map((r) => r[0])), 'docs');
    for (let d of docs) {
      let segs = engine.snippet(d, res.terms);
      if (!segs.matched && d.m) segs = engine.snippet(await engine.moreText(d), res.terms);
      for (const s of segs) {
        if (typeof s.text !== 'string') failures.push(`${JSON.stringify(q)}: bad segment`);
        else if (LONE.test(s.text) && !LONE.test(d.x)) failures.push(`${JSON.stringify(q)}: snippet cuts a character: ${JSON.stringify(s.text)}`);
      }
    }
    const suggestion = await withTimeout(engine.suggest(q), 'suggest');
    return { ids: docs.map((d) => d.id), all: res.ranked.length, ms: Date.now() - t0, suggestion };
  } catch (e) {
    failures.push(`${JSON.stringify(q)}: ${e && e.stack || e}`);
    return null;
  }
}

(async () => {
  const failures = [];
  let maxMs = 0, queries = 0;
  // A fresh engine for the Rust cases (same ids, same order as the CLI)...
  let engine = newEngine();
  await engine.ready();
  for (const c of input.cases) {
    const r = await one(engine, c.q, failures);
    queries++;
    if (!r) continue;
    maxMs = Math.max(maxMs, r.ms);
    if ('suggest' in c && (c.suggest || null) !== (r.suggestion || null)) {
      failures.push(`${JSON.stringify(c.q)}: suggestion js ${JSON.stringify(r.suggestion)} vs cli ${JSON.stringify(c.suggest)}`);
    }
    if (c.cli) {
      const n = Math.min(10, c.cli.length);
      if (JSON.stringify(r.ids.slice(0, n)) !== JSON.stringify(c.cli.slice(0, n))) {
        failures.push(`${JSON.stringify(c.q)}: js ${r.ids.slice(0, n)} vs cli ${c.cli.slice(0, n)}`);
      }
    }
  }
  // ...then random queries on engines of a few "pages" each (shards loaded as typed).
  const total = Number(nRandom);
  for (let i = 0; i < total; i++) {
    if (i % 25 === 0) { engine = newEngine(); await engine.ready(); }
    const q = randomQuery(input.words || []);
    // Typed letter by letter, as in the search box.
    const cps = Array.from(q);
    const step = Math.max(1, Math.floor(cps.length / 4));
    for (let k = step; k < cps.length; k += step) await one(engine, cps.slice(0, k).join(''), failures);
    const r = await one(engine, q, failures);
    queries++;
    if (r) maxMs = Math.max(maxMs, r.ms);
    if (failures.length > 20) break;
  }
  console.log(JSON.stringify({ queries, failures, max_ms: maxMs }));
})().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
