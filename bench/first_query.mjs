// Bytes that a first search query downloads, for fiches and for Pagefind.
//
//   node bench/first_query.mjs fiches   <built-site> <queries.json> [results=10]
//   node bench/first_query.mjs pagefind <built-site> <queries.json> [results=10]
//
// Each query runs in a fresh engine (a fresh page): the site's own search
// code is run in Node and every file it asks for is counted, so what is
// measured is what the engine really loads, not an estimate.
//
// - fiches: <site>/assets/search-engine.js (loaded on first use, so
//   counted) is evaluated in a vm context (no DOM), with a loader that reads
//   <site>/search/<file>: manifest, vocabulary shards, term shards, then the
//   documents of the first `results` hits, and the rest of the text (`x/`)
//   of those whose head has no match to show, as the page fetches it.
// - Pagefind: <site>/pagefind/pagefind.js is imported with a fetch() that
//   reads from disk: pagefind.js itself, pagefind-entry.json, the wasm, the
//   meta index, the index chunks, then the fragments of the first hits.
//
// The page-load scripts (fiches' search.js, pagefind-ui.js/.css) are not
// part of a query; they are reported apart as `page_script_*`.
// Prints one JSON object: medians and maxima over the queries, raw bytes and
// gzip bytes (Pagefind's .pf_* and .pagefind files are gzip already: their
// transfer size is their size).
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';

const [kind, site, queriesPath, nArg] = process.argv.slice(2);
const N = Number(nArg || 10);
const queries = JSON.parse(fs.readFileSync(queriesPath, 'utf8'));

function gz(buf) {
  // A file that is already compressed is sent as is.
  if (buf.length > 2 && buf[0] === 0x1f && buf[1] === 0x8b) return buf.length;
  return Math.min(buf.length, zlib.gzipSync(buf, { level: 6 }).length);
}

function median(a) {
  const s = a.slice().sort((x, y) => x - y);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : 0;
}

async function fichesQuery(q) {
  const engine = fs.readFileSync(path.join(site, 'assets', 'search-engine.js'));
  // What a browser offers the engine: its native inflater and UTF-8
  // decoder (without them the engine loads its fallback inflater, which
  // would then be counted: assets/search-inflate.js).
  const ctx = { console, Promise, setTimeout, clearTimeout, URLSearchParams, Math, JSON, DecompressionStream, TextDecoder };
  ctx.window = ctx;
  vm.createContext(ctx);
  vm.runInContext(engine.toString('utf8'), ctx, { filename: 'search-engine.js' });
  const FS = ctx.__fichesSearch;
  const st = { raw: engine.length, gzip: gz(engine), files: ['assets/search-engine.js'], by_kind: { engine: engine.length } };
  FS.loader = (name, file) => {
    const buf = fs.readFileSync(path.join(site, 'search', file));
    const k = file.includes('/') ? file.split('/')[0] : file.replace(/\.js$/, '');
    st.by_kind[k] = (st.by_kind[k] || 0) + buf.length;
    st.raw += buf.length;
    st.gzip += gz(buf);
    st.files.push(file);
    vm.runInContext(buf.toString('utf8'), ctx, { filename: file });
    return Promise.resolve();
  };
  const res = await FS.engine.search(q);
  const docs = await FS.engine.getDocs(res.ranked.slice(0, N).map((r) => r[0]));
  // As the page does (search.js): a result whose text head has no match
  // to show fetches the rest of its text (`x/`), then snippets again.
  // Counted since session 30; FIRST_QUERY_RESTS=0 measures as before.
  const rests = process.env.FIRST_QUERY_RESTS !== '0';
  await Promise.all(docs.map((d) => (!FS.engine.snippet(d, res.terms).matched && d.m && rests ? FS.engine.moreText(d).then((d) => FS.engine.snippet(d, res.terms)) : null)));
  return { ...st, hits: res.ranked.length };
}

let generation = 0;
async function pagefindQuery(q) {
  const st = { raw: 0, gzip: 0, files: [] };
  const base = path.join(site, 'pagefind');
  globalThis.fetch = async (input) => {
    const url = typeof input === 'string' ? input : input.url;
    const rel = url.replace(/^.*?\/pagefind\//, '').replace(/\?.*$/, '');
    const buf = fs.readFileSync(path.join(base, rel));
    st.raw += buf.length;
    st.gzip += gz(buf);
    st.files.push(rel);
    return new Response(buf, { status: 200 });
  };
  // The entry script counts as downloaded too (the UI imports it on first use).
  const entry = fs.readFileSync(path.join(base, 'pagefind.js'));
  st.raw += entry.length;
  st.gzip += gz(entry);
  st.files.push('pagefind.js');
  const mod = await import(pathToFileURL(path.join(base, 'pagefind.js')).href + '?fresh=' + ++generation);
  await mod.options({ basePath: '/pagefind/' });
  await mod.init();
  const search = await mod.search(q);
  await Promise.all(search.results.slice(0, N).map((r) => r.data()));
  return { ...st, hits: search.results.length };
}

function pageScripts() {
  const names = kind === 'fiches' ? ['assets/search.js'] : ['pagefind/pagefind-ui.js', 'pagefind/pagefind-ui.css'];
  let raw = 0, gzip = 0;
  for (const n of names) {
    const buf = fs.readFileSync(path.join(site, n));
    raw += buf.length;
    gzip += gz(buf);
  }
  return { raw, gzip };
}

const per = [];
for (const q of queries) {
  const r = kind === 'fiches' ? await fichesQuery(q) : await pagefindQuery(q);
  per.push({ q, raw: r.raw, gzip: r.gzip, files: r.files.length, hits: r.hits, by_kind: r.by_kind });
}
// Raw bytes at the 90th percentile of the queries, and the median bytes
// per kind of file (fiches: engine, manifest, v, r, s, t, d, x; issue 14's
// budget is on the p90).
const p90 = per.map((p) => p.raw).sort((x, y) => x - y)[Math.min(per.length - 1, Math.floor(per.length * 0.9))];
const kinds = {};
for (const p of per) for (const k of Object.keys(p.by_kind || {})) kinds[k] = 1;
const byKind = {};
for (const k of Object.keys(kinds)) byKind[k] = median(per.map((p) => (p.by_kind || {})[k] || 0));
const worst = per.reduce((a, b) => (b.raw > a.raw ? b : a), per[0]);
const ps = pageScripts();
console.log(JSON.stringify({
  kind,
  results_loaded: N,
  queries: per.length,
  raw_median: median(per.map((p) => p.raw)),
  gzip_median: median(per.map((p) => p.gzip)),
  files_median: median(per.map((p) => p.files)),
  raw_p90: p90,
  raw_max: worst.raw,
  raw_median_by_kind: byKind,
  gzip_max: Math.max(...per.map((p) => p.gzip)),
  worst_query: worst.q,
  page_script_raw: ps.raw,
  page_script_gzip: ps.gzip,
  per_query: per,
}));
