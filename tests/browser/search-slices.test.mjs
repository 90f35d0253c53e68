// The engine's work in slices (issue 14: typing never freezes the page):
// the scoring, the typo candidates and the documents' heads run in steps
// that give the page its turn (a timer set during a search runs before the
// search resolves), with the same ranking as in one go, and a search that
// nobody waits for any more stops. In Chromium from file://, on the demo
// site, `__fichesSearch.slice = 0` (a pause at every step: the demo's
// index is too small for a step to last the 6 ms of a slice).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { REPO, buildSite, enginePage, launchBrowser } from './helpers.mjs';

let browser;
let base;
before(async () => {
  base = pathToFileURL(buildSite(REPO)).href + '/';
  browser = await launchBrowser();
});
after(async () => { if (browser) await browser.close(); });

// Short prefixes (their completions), words, a typo (its
// candidates in steps), words run together, a negation.
const QUERIES = ['p', 'wi', 'imp', 'imprimante bloquée', 'inprimante', 'motdepasse', 'son ne marche pas', 'wifi'];

test('a search gives the page its turn between steps, and ranks as in one go', async () => {
  // In one go: a slice longer than any search here.
  const whole = await enginePage(browser, base);
  const want = await whole.evaluate(async (qs) => {
    window.__fichesSearch.slice = 1e9;
    const E = window.__fichesSearch.engine, out = {};
    for (const q of qs) {
      const res = await E.search(q);
      const docs = await E.getDocs(res.ranked.slice(0, 20).map((r) => r[0]));
      out[q] = { ranked: res.ranked, ids: docs.map((d) => d.id) };
    }
    return out;
  }, QUERIES);
  await whole.close();

  const page = await enginePage(browser, base);
  const got = await page.evaluate(async (qs) => {
    const FS = window.__fichesSearch, E = FS.engine, out = {};
    // Their files, loaded; each query below follows another (none is
    // the engine's last result).
    for (const q of qs) await E.search(q);
    for (const q of qs) {
      FS.slice = 0;
      // A timer set now runs before the search resolves only if the
      // search pauses: its files are loaded, nothing else waits.
      let ran = false;
      setTimeout(() => { ran = true; }, 0);
      const res = await E.search(q);
      const turn = ran;
      const docs = await E.getDocs(res.ranked.slice(0, 20).map((r) => r[0]));
      FS.slice = 6;
      out[q] = { ranked: res.ranked, ids: docs.map((d) => d.id), turn };
    }
    return out;
  }, QUERIES);
  for (const q of QUERIES) {
    assert.ok(want[q].ranked.length > 0, `${q}: no result`);
    assert.equal(got[q].turn, true, `${q}: the search never gave the page its turn`);
    assert.deepEqual(got[q].ranked, want[q].ranked, `${q}: ranking`);
    assert.deepEqual(got[q].ids, want[q].ids, `${q}: ids`);
  }
  assert.deepEqual(page.__errors || [], []);
  await page.close();
});

test('a search that nobody waits for any more stops, and the next one ranks whole', async () => {
  const page = await enginePage(browser, base);
  const r = await page.evaluate(async () => {
    const FS = window.__fichesSearch, E = FS.engine;
    await E.search('p');               // files loaded, result kept
    await E.search('imprimante');      // another query: 'p' is scored again below
    FS.slice = 0;
    // Wanted until a timer set now runs (a newer key).
    let wanted = true;
    setTimeout(() => { wanted = false; }, 0);
    const a = await E.search('p', {}, () => wanted);
    FS.slice = 6;
    const b = await E.search('p');
    FS.slice = 1e9;
    await E.search('imprimante');
    const c = await E.search('p');
    return { stale: a, ranked: b.ranked, whole: c.ranked };
  });
  assert.equal(r.stale, null, 'a search nobody waits for resolves to null');
  assert.ok(r.ranked.length > 0);
  assert.deepEqual(r.ranked, r.whole, 'the same query, asked again, is ranked whole');
  assert.deepEqual(page.__errors || [], []);
  await page.close();
});

/** In the page: every index file asked for from now on, by name. */
function countLoads() {
  const FS = window.__fichesSearch, loader = FS.loader;
  window.__loads = [];
  FS.loader = function (name) { window.__loads.push(name); return loader.apply(this, arguments); };
}

/** In the page: every document's text, its rest included (key23). */
async function allTexts() {
  const E = window.__fichesSearch.engine, M = await E.ready();
  const docs = await E.getDocs([...Array(M.n).keys()]);
  for (const d of docs) await E.moreText(d);
  return docs.map((d) => [d.id, d.x]);
}

test('texts inflate natively; without DecompressionStream the fallback loads once, with the same texts', async () => {
  const page = await enginePage(browser, base);
  await page.evaluate(countLoads);
  const native = await page.evaluate(allTexts);
  assert.ok(native.some(([, x]) => x.length > 2000), 'some rests were loaded');
  assert.deepEqual((await page.evaluate(() => window.__loads)).filter((n) => n === 'inflate'), []);
  assert.deepEqual(page.__errors || [], []);
  await page.close();

  // A browser without 'deflate-raw' (Safari before 16.4, Firefox before 113).
  const old = await enginePage(browser, base);
  await old.evaluate(countLoads);
  await old.evaluate(() => { window.DecompressionStream = undefined; });
  const fallback = await old.evaluate(allTexts);
  assert.deepEqual((await old.evaluate(() => window.__loads)).filter((n) => n === 'inflate'), ['inflate']);
  assert.deepEqual(fallback, native);
  assert.deepEqual(old.__errors || [], []);
  await old.close();
});

test("a long text's words are made in steps, with the snippet of one go", async () => {
  // The longest text with a rest, and another document of its rest block.
  const probe = await enginePage(browser, base);
  const pick = await probe.evaluate(async () => {
    const E = window.__fichesSearch.engine, M = await E.ready();
    const docs = await E.getDocs([...Array(M.n).keys()]);
    const block = (d) => Math.floor(d.ord / M.rest_block);
    let best = null;
    for (const d of docs.filter((d) => d.m)) {
      const mate = docs.find((o) => o.m && o !== d && block(o) === block(d));
      await E.moreText(d);
      if (mate && (!best || d.x.length > best.len)) best = { ord: d.ord, mate: mate.ord, len: d.x.length, title: d.t };
    }
    const terms = (await E.search(best.title)).terms;
    const d = (await E.getDocs([best.ord]))[0];
    await E.moreText(d);
    return { ...best, terms, snippet: E.snippet(d, terms) };
  });
  await probe.close();
  assert.ok(pick.len > 3000, `a text of ${pick.len} characters`);

  const page = await enginePage(browser, base);
  const r = await page.evaluate(async (pick) => {
    const FS = window.__fichesSearch, E = FS.engine;
    const [d, mate] = await E.getDocs([pick.ord, pick.mate]);
    await E.moreText(mate);            // the rest block loaded and inflated
    FS.slice = 0;
    // The page's turns while the text's words are made: a message loop.
    let turns = 0, on = true;
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { if (on) { turns++; ch.port2.postMessage(0); } };
    ch.port2.postMessage(0);
    await E.moreText(d);
    on = false;
    FS.slice = 6;
    return { turns, len: d.x.length, snippet: E.snippet(d, pick.terms) };
  }, pick);
  assert.equal(r.len, pick.len);
  // A step per kilobyte: at least 3 turns for more than 3 KB.
  assert.ok(r.turns >= 3, `${r.turns} turns while ${r.len} characters were tokenized`);
  assert.deepEqual(r.snippet, pick.snippet);
  assert.deepEqual(page.__errors || [], []);
  await page.close();
});

test("a keystroke's files are asked for a slice's worth per task", async () => {
  const page = await enginePage(browser, base);
  const r = await page.evaluate(async () => {
    const FS = window.__fichesSearch, E = FS.engine, M = await E.ready();
    // The page's turns (a message loop), and the turn each file is asked for in.
    let turns = 0, on = true;
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { if (on) { turns++; ch.port2.postMessage(0); } };
    ch.port2.postMessage(0);
    const at = [], loader = FS.loader;
    FS.loader = function (name) { at.push(turns); return loader.apply(this, arguments); };
    FS.slice = 0;
    const docs = await E.getDocs([...Array(M.n).keys()]);
    FS.slice = 6;
    on = false;
    return { docs: docs.length, n: M.n, at };
  });
  assert.equal(r.docs, r.n);
  assert.ok(r.at.length >= 4, `${r.at.length} files`);
  // Every file in a task of its own (a slice of 0 ms), not all in one.
  assert.equal(new Set(r.at).size, r.at.length, `turns: ${r.at}`);
  assert.deepEqual(page.__errors || [], []);
  await page.close();
});
