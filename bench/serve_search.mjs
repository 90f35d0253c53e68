// Asks a running `fiches serve` what its search index finds, the way a
// browser does: the site's own search-engine.js, fed the served search files.
//
//   node bench/serve_search.mjs <site-url> <query> [interval-ms] [timeout-s] [expected-id]
//
// Loads a fresh engine every `interval-ms` until the query finds
// `expected-id` (or anything, without one), then prints one JSON line:
// {"found": true, "seconds": s, "ids": [...], "tries": n}. Used by
// bench/run_bench.py to time how long a saved sheet takes to be findable.
import vm from 'node:vm';

const [base0, query, intervalArg, timeoutArg, expected] = process.argv.slice(2);
const base = base0.endsWith('/') ? base0 : base0 + '/';
const interval = Number(intervalArg || 100);
const timeout = Number(timeoutArg || 60) * 1000;

async function text(url) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.text();
}

async function once() {
  // What a browser offers the engine: its native inflater and UTF-8
  // decoder (the index files are packed since session 33; without them
  // each try would load and run the fallback inflater, which a browser
  // does not, and the save would look slower than it is).
  const ctx = { console, Promise, setTimeout, clearTimeout, URLSearchParams, Math, JSON, DecompressionStream, TextDecoder };
  ctx.window = ctx;
  vm.createContext(ctx);
  vm.runInContext(await text(base + 'assets/search-engine.js'), ctx, { filename: 'search-engine.js' });
  const FS = ctx.__fichesSearch;
  FS.loader = async (name, file) => {
    vm.runInContext(await text(base + 'search/' + file), ctx, { filename: file });
  };
  const res = await FS.engine.search(query);
  const ords = res.ranked.slice(0, 10).map((r) => r[0]);
  const docs = ords.length ? await FS.engine.getDocs(ords) : [];
  return docs.map((d) => d.id);
}

const t0 = Date.now();
let tries = 0;
for (;;) {
  tries += 1;
  let ids = [];
  try {
    ids = await once();
  } catch (e) {
    // A file replaced between two reads: try again.
  }
  const found = expected ? ids.includes(expected) : ids.length > 0;
  if (found || Date.now() - t0 > timeout) {
    console.log(JSON.stringify({ found, seconds: (Date.now() - t0) / 1000, ids, tries }));
    process.exit(found ? 0 : 1);
  }
  await new Promise((r) => setTimeout(r, interval));
}
