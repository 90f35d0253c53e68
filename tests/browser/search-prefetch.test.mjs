// search.js's prefetch (issue 14's keystroke): during its 90 ms wait the
// engine loads, scores and snippets the query, so that the search that
// follows finds everything done, with the same results; a prefetch made
// stale by a newer key stops. In Chromium from file://, on the demo site.
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

/** In the page: every index file asked for from now on, by name. */
function countLoads() {
  const FS = window.__fichesSearch, loader = FS.loader;
  window.__loads = [];
  FS.loader = function (name) { window.__loads.push(name); return loader.apply(this, arguments); };
}

/** In the page: what a keystroke does (search.js's run and snippets). */
async function keystroke(q) {
  const E = window.__fichesSearch.engine;
  const res = await E.search(q);
  const docs = await E.getDocs(res.ranked.slice(0, 8).map((r) => r[0]));
  const snippets = [];
  for (const d of docs) {
    let s = E.snippet(d, res.terms);
    if (!s.matched && d.m) s = E.snippet(await E.moreText(d), res.terms);
    snippets.push(s.map((x) => (x.mark ? `[${x.text}]` : x.text)).join(''));
  }
  return { ranked: res.ranked, ids: docs.map((d) => d.id), snippets };
}

for (const q of ['imprimante bloquée', 'wifi', 'mot de passe', 'v']) {
  test(`after prefetch("${q}") its keystroke loads nothing, with the results of a fresh page`, async () => {
    const fresh = await enginePage(browser, base);
    const want = await fresh.evaluate(keystroke, q);
    await fresh.close();
    assert.ok(want.ranked.length > 0, `${q}: no result`);

    const page = await enginePage(browser, base);
    await page.evaluate((q) => window.__fichesSearch.engine.prefetch(q), q);
    await page.evaluate(countLoads);
    const got = await page.evaluate(keystroke, q);
    assert.deepEqual(await page.evaluate(() => window.__loads), [], `${q}: files left to the keystroke`);
    assert.deepEqual(got.ranked, want.ranked, `${q}: ranking`);
    assert.deepEqual(got.ids, want.ids);
    // The same snippets; but a result whose `x/` block came in with a
    // neighbour's rest during the prefetch shows its whole text where the
    // fresh page shows a passage of it kept in `d/` (search-engine.js
    // docAt): the same start and marks, the passage cut sooner.
    assert.equal(got.snippets.length, want.snippets.length);
    got.snippets.forEach((s, i) => {
      const w = want.snippets[i];
      assert.ok(s === w || (w.endsWith('…') && s.startsWith(w.slice(0, -1))), `${q}: ${JSON.stringify(s)} vs ${JSON.stringify(w)}`);
    });
    assert.deepEqual(page.__errors || [], []);
    await page.close();
  });
}

test('a prefetch made stale by a newer one loads no document of its own', async () => {
  const page = await enginePage(browser, base);
  await page.evaluate(countLoads);
  const top = await page.evaluate(async () => {
    const E = window.__fichesSearch.engine;
    await Promise.all([E.prefetch('imprimante'), E.prefetch('wifi')]);
    const res = await E.search('wifi');
    // The `d/` files of its results (documents in blocks of doc_block).
    const block = window.__fichesSearch.data.manifest.doc_block || 1;
    return res.ranked.slice(0, 8).map((r) => 'd' + Math.floor(r[0] / block));
  });
  const docs = (await page.evaluate(() => window.__loads)).filter((n) => /^d\d+$/.test(n));
  assert.ok(docs.length > 0, 'the newer prefetch loads its documents');
  assert.deepEqual(docs.filter((n) => !top.includes(n)), [], 'documents of the stale query were loaded');
  await page.close();
});

test('typed key by key in the search page: the same results as the same query opened', async () => {
  const q = 'imprimante bloquée';
  const page = await browser.page();
  await page.goto(`${base}recherche/index.html?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => document.querySelectorAll('#search-results [data-id]').length > 0, null, { timeout: 15000 });
  const want = await page.$$eval('#search-results [data-id]', (els) => els.map((e) => e.getAttribute('data-id')));
  await page.goto(`${base}recherche/index.html`);
  await page.focus('#search-input');
  for (const [i, ch] of [...q].entries()) {
    await page.keyboard.type(ch);
    // Fast and slow keys: prefetches cut short and prefetches done.
    await new Promise((r) => setTimeout(r, i % 3 ? 20 : 150));
  }
  await page.waitForFunction((q) => {
    const s = document.querySelector('.search-status');
    return new URLSearchParams(location.search).get('q') === q && s && /résultat/i.test(s.textContent);
  }, q, { timeout: 15000 });
  const got = await page.$$eval('#search-results [data-id]', (els) => els.map((e) => e.getAttribute('data-id')));
  assert.deepEqual(got, want);
  assert.deepEqual(page.__errors || [], []);
  await page.close();
});

test('a result whose text says the word late shows it from its d/ passage, without its rest', async () => {
  // wifi/compte-invite says « Wi-Fi » in its title and only after its
  // head in its text: its d/ entry keeps that passage (browser.rs
  // rest_passages), so its snippet marks the word without fetching the
  // rest of its text (x/), as search.js would.
  const page = await enginePage(browser, base);
  const got = await page.evaluate(async () => {
    const E = window.__fichesSearch.engine;
    const res = await E.search('wifi');
    const docs = await E.getDocs(res.ranked.slice(0, 8).map((r) => r[0]));
    const d = docs.find((d) => d.id === 'wifi/compte-invite');
    if (!d) return { ids: docs.map((d) => d.id) };
    const s = E.snippet(d, res.terms);
    return { matched: s.matched, rest: d.m, text: s.map((x) => (x.mark ? `[${x.text}]` : x.text)).join('') };
  });
  assert.equal(got.rest, 1, `the rest is not in yet: ${JSON.stringify(got)}`);
  assert.ok(got.matched, JSON.stringify(got));
  assert.match(got.text, /^….*\[Wi-Fi\]/);
  await page.close();
});
