// Milliseconds per keystroke of the search engine in Chromium, on a built
// site opened from file:// (issue 14's "a keystroke costs at most 10 ms at
// p90 in Chromium").
//
//   node bench/keystroke.mjs <built-site> <queries.json>
//
// For each query (a JSON list of strings or of {q}), a fresh search page:
// the query is typed letter by letter and, for each prefix, the page times
// what a keystroke costs the engine: engine.search(prefix), the documents
// of the first 8 results and their snippets (the index files loaded on the
// way, from disk, included). The engine's entry points are those of
// window.__fichesSearch.engine (ready, search, getDocs, snippet, moreText);
// when a page does not load the engine by itself, typing one letter in the
// search box does. Prints one JSON line. Uses tests/browser's helpers
// (Debian's Chromium, playwright-core from tests/browser/node_modules).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '../tests/browser/helpers.mjs';

const [site, queriesFile] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8')).map((q) => (typeof q === 'string' ? q : q.q));
const url = pathToFileURL(path.join(path.resolve(site), 'recherche', 'index.html')).href;

function pct(a, p) {
  const s = a.slice().sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : 0;
}

const browser = await launchBrowser();
const lat = [];
try {
  for (const q of queries) {
    const page = await browser.page();
    await page.goto(url);
    const hasEngine = () => !!(window.__fichesSearch && window.__fichesSearch.engine);
    if (!(await page.evaluate(hasEngine))) await page.fill('#search-input', q.slice(0, 1));
    await page.waitForFunction(hasEngine, null, { timeout: 15000 });
    const times = await page.evaluate(async (q) => {
      const E = window.__fichesSearch.engine;
      await E.ready();
      const out = [];
      for (let i = 1; i <= q.length; i++) {
        const t0 = performance.now();
        const res = await E.search(q.slice(0, i));
        const docs = await E.getDocs(res.ranked.slice(0, 8).map((r) => r[0]));
        for (const d of docs) {
          if (!E.snippet(d, res.terms).matched && d.m) E.snippet(await E.moreText(d), res.terms);
        }
        out.push(performance.now() - t0);
      }
      return out;
    }, q);
    lat.push(...times);
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({
  keystroke_ms_median: pct(lat, 0.5),
  keystroke_ms_p90: pct(lat, 0.9),
  keystroke_ms_max: pct(lat, 1),
  keystrokes: lat.length,
  queries: queries.length,
}));
