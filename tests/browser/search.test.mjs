// Search as a teacher uses it: the search page of the built site, in
// Debian's Chromium, opened from file:// and served under a sub-path by
// nginx. Relevance on each corpus's queries, escaping, keyboard.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSite, copySite, launchBrowser, startNginx, CORPORA } from './helpers.mjs';

/** The suite, run on corpus `C` (see CORPORA in helpers.mjs). */
function suite(C) {
  /** The relevance set of queries.toml (a small reader for its simple shape). */
  function readQueries(file) {
    const out = [];
    let cur = null;
    for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
      const line = raw.trim();
      if (line === '[[query]]') { cur = { within: 3 }; out.push(cur); continue; }
      if (!cur || line.startsWith('#')) continue;
      let m;
      if ((m = line.match(/^q\s*=\s*"(.*)"$/))) cur.q = m[1].replace(/\\"/g, '"');
      else if ((m = line.match(/^expect\s*=\s*\[(.*)\]$/))) cur.expect = [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
      else if ((m = line.match(/^within\s*=\s*(\d+)/))) cur.within = Number(m[1]);
    }
    return out.filter((q) => q.q && q.expect);
  }

  let browser;
  let out;
  before(async () => {
    out = buildSite(C.root);
    browser = await launchBrowser();
  });
  after(async () => { if (browser) await browser.close(); });

  /** Opens the search page for `q` and returns the result ids in rank order. */
  async function results(page, base, q) {
    await page.goto(`${base}recherche/index.html?q=${encodeURIComponent(q)}`);
    await page.waitForFunction(() => {
      const s = document.querySelector('.search-status');
      return s && /résultat/i.test(s.textContent);
    }, null, { timeout: 15000 });
    return page.$$eval('#search-results [data-id]', (els) => els.map((e) => e.getAttribute('data-id')));
  }

  async function relevance(base) {
    const queries = readQueries(path.join(C.root, 'queries.toml'));
    assert.ok(queries.length >= 30, `read ${queries.length} queries`);
    const page = await browser.page();
    let hits = 0;
    let rr = 0;
    const misses = [];
    for (const q of queries) {
      const ids = await results(page, base, q.q);
      const ok = q.expect.every((e) => { const i = ids.indexOf(e); return i >= 0 && i < q.within; });
      if (ok) hits++; else misses.push(`${q.q} → ${ids.slice(0, 5).join(', ')} (attendu ${q.expect.join(', ')} dans les ${q.within} premiers)`);
      const first = Math.min(...q.expect.map((e) => { const i = ids.indexOf(e); return i < 0 ? Infinity : i + 1; }));
      rr += Number.isFinite(first) ? 1 / first : 0;
    }
    await page.close();
    const rate = hits / queries.length;
    console.log(`search page ${base.startsWith('file:') ? 'file://' : 'http'}: hit rate ${(rate * 100).toFixed(1)}% (${hits}/${queries.length}), MRR ${(rr / queries.length).toFixed(3)}`);
    assert.ok(rate >= 0.95, `hit rate ${rate}\n${misses.join('\n')}`);
  }

  test('relevance set through the search page opened from file://', async () => {
    await relevance(pathToFileURL(out).href + '/');
  });

  test('search page under a sub-path on http://127.0.0.1 (nginx)', async () => {
    const srv = await startNginx(out, C.prefix);
    try {
      const page = await browser.page();
      const [q, id] = C.search.top;
      const ids = await results(page, srv.url, q);
      assert.ok(ids.length > 0);
      assert.ok(ids.slice(0, 3).includes(id), ids.join(','));
      // Result links work under the prefix.
      const href = await page.$eval('#search-results [data-id] a', (a) => a.href);
      assert.ok(href.startsWith(srv.url), href);
      const res = await page.goto(href);
      assert.equal(res.status(), 200);
      await page.close();
      await relevance(srv.url);
    } finally {
      await srv.stop();
    }
  });

  test('content reaches the page escaped, in results and snippets', async () => {
    const site = copySite(C.root);
    fs.mkdirSync(path.join(site, 'content/fiches/wifi'), { recursive: true });
    const evil = '<img src=x onerror=alert(1)>';
    fs.writeFileSync(path.join(site, 'content/fiches/wifi/piege.md'),
      `+++\ntitle = "${evil}"\nsummary = "zorglub ${evil}"\n+++\n\nLe mot zorglub et \`<script>alert(2)</script>\` dans le texte.\n`);
    const evilOut = buildSite(site);
    const page = await browser.page();
    let dialogs = 0;
    page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
    const ids = await results(page, pathToFileURL(evilOut).href + '/', 'zorglub');
    assert.deepEqual(ids.slice(0, 1), ['wifi/piege']);
    const text = await page.$eval('#search-results [data-id="wifi/piege"]', (e) => e.textContent);
    assert.ok(text.includes(evil), text);
    const injected = await page.$$eval('#search-results img[src="x"], #search-results script', (els) => els.length);
    assert.equal(injected, 0);
    assert.equal(dialogs, 0);
    // The same through the live results of the header box.
    await page.goto(pathToFileURL(path.join(evilOut, 'index.html')).href);
    await page.fill('#search-input', 'zorglub');
    await page.waitForSelector('#search-live [data-id="wifi/piege"]', { timeout: 10000 });
    assert.equal(await page.$$eval('#search-live img[src="x"]', (els) => els.length), 0);
    assert.equal(dialogs, 0);
    await page.close();
  });

  test('keyboard: / focuses the box, arrows move, Enter opens', async () => {
    const page = await browser.page();
    await page.goto(pathToFileURL(path.join(out, 'index.html')).href);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'search-input');
    await page.keyboard.type(C.search.forgiving[0][0]);
    await page.waitForSelector('#search-live [data-id]', { timeout: 10000 });
    const first = await page.$eval('#search-live [data-id]', (e) => e.getAttribute('data-id'));
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.ok(page.url().includes(`fiches/${first}/index.html`), `${page.url()} vs ${first}`);
    await page.close();
  });

  test('search from file:// loads the index only when the box is used', async () => {
    const page = await browser.page();
    const loaded = [];
    page.on('request', (r) => { if (r.url().includes('/search/')) loaded.push(r.url()); });
    await page.goto(pathToFileURL(path.join(out, C.pages['sheet-action'])).href);
    await page.waitForTimeout(300);
    assert.equal(loaded.length, 0, loaded.join('\n'));
    await page.focus('#search-input');
    await page.keyboard.type(C.search.action_query);
    await page.waitForSelector('#search-live [data-id]', { timeout: 10000 });
    assert.ok(loaded.length > 0);
    await page.close();
  });
}

for (const C of CORPORA) describe(C.name, () => suite(C));
