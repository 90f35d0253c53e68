// Milliseconds per keystroke of the search engine in Chromium, on a built
// site opened from file:// (issue 14's "a keystroke costs at most 10 ms at
// p90 in Chromium").
//
//   node bench/keystroke.mjs <built-site> <queries.json> [--detail FILE] [--sites A,B --rounds N]
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
//
// --detail FILE writes, per keystroke, the prefix typed and where its time
// went: `search` (of which `search_load`: waiting for index files), `docs`
// (the d/ files of the results), `snip` (snippets), `more` (x/ rests of
// heads without a match, with their loading), the files loaded, the
// waves of loads (round trips: a wave starts when nothing was loading) and
// the number of results; and the engine's work counters when the engine keeps
// them (`__fichesSearch.work`, an instrumented copy: see docs/benchmarks.md).
//
// --sites A,B (instead of <built-site>) with --rounds N: runs the sites
// alternately (A B A B …, N rounds) in one browser, to compare two builds on
// a loaded machine; prints one JSON line per run and the medians per site.
//
// `shown_ms_*`: the same keystrokes up to the documents of the results
// (search + docs): search.js puts the results in the page then, and fills
// the snippets in the next task.
//
// --debounce MS: typing as search.js sees it when the keys come slower than
// its wait before searching (90 ms): at each key the engine's prefetch(q)
// starts (as search.js does on `input`: the files the query needs, and
// since key19 its scoring, the first 8 results' documents and snippets),
// MS later the keystroke is timed as above. The default is back-to-back
// typing: each keystroke timed as soon as the previous one is done.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandLine, median as med, pct, runAlternated } from './chromium_runs.mjs';

const cli = commandLine(process.argv.slice(2));
const debounce = Number(cli.opt('--debounce') || 0);
const { sites, queries } = cli.positional();

async function run(browser, site) {
  const url = pathToFileURL(path.join(path.resolve(site), 'recherche', 'index.html')).href;
  const keys = [];
  for (const q of queries) {
    const page = await browser.page();
    await page.goto(url);
    const hasEngine = () => !!(window.__fichesSearch && window.__fichesSearch.engine);
    if (!(await page.evaluate(hasEngine))) await page.fill('#search-input', q.slice(0, 1));
    await page.waitForFunction(hasEngine, null, { timeout: 15000 });
    const times = await page.evaluate(async ([q, debounce]) => {
      const FS = window.__fichesSearch;
      const E = FS.engine;
      await E.ready();
      // Time spent waiting for index files: the union of the intervals
      // during which at least one file was asked for and had not yet
      // registered its data (a file's script calls FS.register).
      let busy = 0, open = 0, since = 0, files = 0, waves = 0;
      const asked = new Set();
      const loader = FS.loader, register = FS.register;
      FS.loader = function (name) {
        if (open++ === 0) { since = performance.now(); waves++; }
        files++;
        asked.add(name);
        return loader.apply(this, arguments);
      };
      FS.register = function (name) {
        if (asked.delete(name) && --open === 0) busy += performance.now() - since;
        return register.apply(this, arguments);
      };
      const work = () => Object.assign({}, FS.work || {});
      const diff = (a, b) => { const o = {}; for (const k of Object.keys(b)) o[k] = b[k] - (a[k] || 0); return o; };
      const out = [];
      for (let i = 1; i <= q.length; i++) {
        if (debounce) {
          if (E.prefetch) E.prefetch(q.slice(0, i));
          await new Promise((r) => setTimeout(r, debounce));
        }
        busy = 0; files = 0; waves = 0;
        if (open > 0) since = performance.now();
        const w0 = work();
        const t0 = performance.now();
        const res = await E.search(q.slice(0, i));
        const t1 = performance.now(), l1 = busy;
        const docs = await E.getDocs(res.ranked.slice(0, 8).map((r) => r[0]));
        const t2 = performance.now();
        const need = [];
        for (const d of docs) if (!E.snippet(d, res.terms).matched && d.m) need.push(d);
        const t3 = performance.now();
        // Side by side, as search.js asks for them (one per result).
        await Promise.all(need.map(async (d) => E.snippet(await E.moreText(d), res.terms)));
        const t4 = performance.now();
        out.push({
          prefix: q.slice(0, i), total: t4 - t0, shown: t2 - t0, search: t1 - t0, search_load: l1,
          docs: t2 - t1, snip: t3 - t2, more: t4 - t3, rests: need.length,
          files, waves, results: res.ranked.length, work: diff(w0, work()),
        });
      }
      return out;
    }, [q, debounce]);
    keys.push(...times);
    await page.close();
  }
  const lat = keys.map((k) => k.total), shown = keys.map((k) => k.shown);
  return {
    site,
    keystroke_ms_median: pct(lat, 0.5),
    keystroke_ms_p90: pct(lat, 0.9),
    keystroke_ms_max: pct(lat, 1),
    shown_ms_median: pct(shown, 0.5),
    shown_ms_p90: pct(shown, 0.9),
    keystrokes: lat.length,
    queries: queries.length,
    keys,
  };
}

await runAlternated(cli, sites, run, (mine) => ({
  median_of_medians: med(mine.map((r) => r.keystroke_ms_median)), median_of_p90s: med(mine.map((r) => r.keystroke_ms_p90)),
  shown_median_of_medians: med(mine.map((r) => r.shown_ms_median)), shown_median_of_p90s: med(mine.map((r) => r.shown_ms_p90)),
  runs: mine.length,
}));
