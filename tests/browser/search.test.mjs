// Search as a teacher uses it: the search page of the built site, in
// Debian's Chromium, opened from file:// and served under a sub-path by
// nginx. Relevance on each corpus's queries, escaping, keyboard.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { BIN, buildSite, copySite, launchBrowser, startNginx, tempDir, REPO, CORPORA } from './helpers.mjs';

/** The suite, run on corpus `C` (see CORPORA in helpers.mjs). */
function suite(C) {
  /**
   * The relevance harness is Rust's (fiches_search::relevance): it reads
   * queries.toml, and scores the ids this page ranked, as it scores the CLI's.
   */
  function fiches(args) {
    return execFileSync(BIN, ['--root', C.root, 'search', '--eval', path.join(C.root, 'queries.toml'), ...args], {
      env: { ...process.env, FICHES_CACHE_DIR: tempDir('fiches-cache-'), NO_COLOR: '1' },
      encoding: 'utf8',
    });
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
    const ids = await page.$$eval('#search-results [data-id]', (els) => els.map((e) => e.getAttribute('data-id')));
    // The count is said in French, singular or plural, never "résultat(s)".
    const status = await page.$eval('.search-status', (s) => s.textContent);
    if (ids.length) assert.match(status, /^\d+ résultats?$|^1 résultat$/, status);
    if (/^\d+ résultat/.test(status)) assert.equal(/^1 résultat$/.test(status), status.startsWith('1 '), status);
    return ids;
  }

  async function relevance(base) {
    const queries = JSON.parse(fiches(['--print-queries']));
    assert.ok(queries.length >= 30, `read ${queries.length} queries`);
    const page = await browser.page();
    const ranked = [];
    for (const q of queries) ranked.push({ q: q.q, ids: await results(page, base, q.q) });
    await page.close();
    const file = path.join(tempDir('fiches-ranked-'), 'ranked.json');
    fs.writeFileSync(file, JSON.stringify(ranked));
    const e = JSON.parse(fiches(['--eval-results', file, '--format', 'json']));
    console.log(`search page ${base.startsWith('file:') ? 'file://' : 'http'}: hit rate ${(e.hit_rate * 100).toFixed(1)}% (${e.hits}/${e.queries}), MRR ${e.mrr.toFixed(3)}`);
    assert.ok(e.hit_rate >= 0.95, fiches(['--eval-results', file]));
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

  /**
   * What a page loads, by path from the site root: `before` (every script
   * and index file until the page is idle), then `after` (from the first
   * focus of the box to the first results of `q`). Sizes from the built
   * files: raw bytes and gzip (level 6, as a web server sends them).
   */
  async function firstUse(base, rel, q) {
    const page = await browser.page();
    const seen = [];
    page.on('request', (r) => {
      const u = r.url().split('?')[0];
      if (u.startsWith(base) && /\.js$/.test(u)) seen.push(decodeURIComponent(u.slice(base.length)));
    });
    await page.goto(base + rel, { waitUntil: 'load' });
    await page.waitForTimeout(500);
    const before = seen.splice(0);
    const engineBefore = await page.evaluate(() => !!(window.__fichesSearch && window.__fichesSearch.engine));
    await page.focus('#search-input');
    await page.waitForFunction(() => window.__fichesSearch.engine && window.__fichesSearch.data.manifest, null, { timeout: 10000 });
    const onFocus = seen.slice();
    await page.keyboard.type(q);
    await page.waitForSelector('#search-live [data-id]', { timeout: 10000 });
    await page.waitForTimeout(300);
    const errors = page.__errors || [];
    await page.close();
    const size = (list) => list.reduce((a, f) => {
      const buf = fs.readFileSync(path.join(out, f));
      return { raw: a.raw + buf.length, gzip: a.gzip + zlib.gzipSync(buf, { level: 6 }).length };
    }, { raw: 0, gzip: 0 });
    return { before, engineBefore, onFocus, after: seen, errors, size };
  }

  test('a sheet page loads the search engine and the index only on first use (file://, sub-path)', async () => {
    const srv = await startNginx(out, C.prefix);
    try {
      for (const base of [pathToFileURL(out).href + '/', srv.url]) {
        const r = await firstUse(base, C.pages.sheet, C.search.action_query);
        const where = base.startsWith('file:') ? 'file://' : 'http';
        assert.deepEqual(r.errors, [], where);
        // Before any search: the page scripts and their string table, neither the engine nor any index file.
        assert.deepEqual(r.before.sort(), ['assets/search.js', 'assets/site.js'], where);
        assert.equal(r.engineBefore, false, `${where}: no engine before a search`);
        // The first focus asks for the engine and the manifest together.
        assert.ok(r.onFocus.includes('assets/search-engine.js'), `${where}: ${r.onFocus}`);
        assert.ok(r.onFocus.includes('search/manifest.js'), `${where}: ${r.onFocus}`);
        assert.equal(r.after.filter((f) => f === 'assets/search-engine.js').length, 1, `${where}: engine loaded once`);
        assert.equal(r.after.filter((f) => f === 'search/manifest.js').length, 1, `${where}: manifest loaded once`);
        assert.ok(r.after.some((f) => /^search\/d\//.test(f)), `${where}: documents of the results`);
        const page = r.size(r.before);
        const query = r.size(r.after);
        console.log(`${C.name} ${where}: scripts of a sheet page before any search ${page.raw} B (gzip ${page.gzip} B); first query "${C.search.action_query}" ${query.raw} B (gzip ${query.gzip} B) in ${r.after.length} files, engine included`);
      }
    } finally {
      await srv.stop();
    }
  });

  test('every string the theme scripts ask t() for is in the page string table', () => {
    // One table for all pages, at the start of site.js (src/build.rs): no
    // script of its own in the pages; assets/strings.js, the same table,
    // stays for a theme's page that loads it.
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    assert.doesNotMatch(index, /strings\.js/);
    assert.match(index, /<script src="assets\/site\.js\?v=[^"]+" defer><\/script>/);
    const site = fs.readFileSync(path.join(out, 'assets/site.js'), 'utf8');
    const table = JSON.parse(site.match(/^window\.__fichesStrings = (.*?);\n/)[1]);
    assert.equal(site.match(/^window\.__fichesStrings = .*?;\n/)[0], fs.readFileSync(path.join(out, 'assets/strings.js'), 'utf8'));
    const keys = new Set();
    for (const f of ['site.js', 'search.js']) {
      const src = fs.readFileSync(path.join(REPO, 'themes/default/assets', f), 'utf8');
      for (const m of src.matchAll(/\bt\(\s*["']([a-z_]+)["']\s*[,)]/g)) keys.add(m[1]);
      // Keys built from a value: every kind, and the audiences the site uses.
      for (const m of src.matchAll(/\bt\(\s*["']([a-z]+_)["']\s*\+/g)) keys.add(m[1] + '*');
    }
    assert.ok(keys.size > 20, [...keys].join(' '));
    const missing = [];
    for (const k of keys) {
      if (k === 'search_results_one') continue; // optional singular, falls back to search_results_count
      if (k.endsWith('*')) {
        if (!Object.keys(table).some((x) => x.startsWith(k.slice(0, -1)))) missing.push(k);
      } else if (typeof table[k] !== 'string' || !table[k]) missing.push(k);
    }
    for (const kind of ['fiche', 'apero', 'action', 'parcours']) if (!table[`kind_${kind}`]) missing.push(`kind_${kind}`);
    assert.deepEqual(missing, [], `keys missing from src/i18n.rs's table: ${missing.join(', ')}`);
  });

  test('the home page box and the header box are the same form', async () => {
    const page = await browser.page();
    const shape = async (rel) => {
      await page.goto(pathToFileURL(path.join(out, rel)).href);
      return page.evaluate(() => {
        const f = document.querySelector('form[role="search"]');
        const input = f.querySelector('#search-input');
        return {
          forms: document.querySelectorAll('form[role="search"]').length,
          action: new URL(f.action).pathname.replace(/^.*\/(recherche\/index\.html)$/, '$1'),
          label: f.querySelector('label[for="search-input"]').textContent,
          name: input.name,
          hint: !!document.getElementById(input.getAttribute('aria-describedby')),
          live: !!f.querySelector('.search-box > #search-live'),
          submit: f.querySelector('button[type="submit"]').textContent,
        };
      });
    };
    const home = await shape('index.html');
    const sheet = await shape(C.pages.sheet);
    await page.close();
    assert.equal(home.forms, 1, 'the home page has its large box instead of the header one');
    assert.deepEqual(home, sheet);
    assert.equal(home.action, 'recherche/index.html');
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
