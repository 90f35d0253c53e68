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
