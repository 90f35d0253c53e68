// Deployment: each corpus's output served under its sub-path by a
// real web server (nginx) has no broken link or asset, and the same output
// opened from file:// in Chromium resolves every <a href>, <img src>,
// <link href> and <script src>, with no failed request.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite, startNginx, launchBrowser, crawlHttp, htmlPages, fileUrl, idsOf, CORPORA } from './helpers.mjs';

/** The suite, run on corpus `C` (see CORPORA in helpers.mjs). */
function suite(C) {
  let out, server, browser;

  before(async () => {
    out = buildSite(C.root);
    server = await startNginx(out, C.prefix);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(`nginx under ${C.prefix}: every link and asset answers 200`, async () => {
    const r = await crawlHttp(server.url + 'index.html', { prefix: C.prefix, out });
    assert.deepEqual(r.broken, [], `broken:\n${r.broken.join('\n')}`);
    assert.ok(r.pages >= htmlPages(out).length - 1, `${r.pages} pages crawled`);
    // Clean URLs work too (a QR code holds <base-url>fiches/x/).
    const res = await fetch(server.url + `fiches/${C.print.short}/`);
    assert.equal(res.status, 200);
    assert.equal((await fetch(server.origin + C.prefix.replace(/\/$/, ''))).url, server.url);
  });

  // The server is configured by the blocks of docs/publishing.md alone
  // (helpers.mjs): a phone offers to add a session to its calendar only
  // for text/calendar, and installs the site only with its manifest.
  test('nginx as documented: feeds, calendars, manifest and pages are served with usable types', async () => {
    const types = {
      'index.html': /^text\/html/,
      'atom.xml': /xml/,
      'sitemap.xml': /xml/,
      'apero-tice/agenda.ics': /^text\/calendar/,
      [`apero-tice/${C.upcoming.slug}/seance.ics`]: /^text\/calendar/,
      'manifest.webmanifest': /^application\/manifest\+json/,
      'assets/style.css': /^text\/css/,
      'assets/site.js': /javascript/,
    };
    for (const [rel, re] of Object.entries(types)) {
      const res = await fetch(server.url + rel);
      assert.equal(res.status, 200, rel);
      assert.match(res.headers.get('content-type'), re, rel);
    }
    const missing = await fetch(server.url + 'nulle-part/');
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Page introuvable/);
  });

  test('file://: every link, image, style sheet and script of every page resolves', async () => {
    const page = await browser.page();
    const failed = [];
    // A request cancelled by the next navigation (the favicon, typically)
    // is ERR_ABORTED, not a missing file: existence is checked below.
    page.on('requestfailed', (r) => {
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(`${r.url()} (${r.failure()?.errorText}) on ${page.url()}`);
    });
    const broken = [];
    const htmlCache = new Map();
    const idsIn = (file) => {
      if (!htmlCache.has(file)) htmlCache.set(file, idsOf(fs.readFileSync(file, 'utf8')));
      return htmlCache.get(file);
    };
    const pages = htmlPages(out).filter((p) => p !== '404.html'); // absolute links by design
    for (const rel of pages) {
      await page.goto(fileUrl(out, rel), { waitUntil: 'load' });
      const urls = await page.evaluate(() => [
        ...[...document.querySelectorAll('a[href]')].map((e) => ['a', e.href]),
        ...[...document.querySelectorAll('img[src]')].map((e) => ['img', e.src]),
        ...[...document.querySelectorAll('link[href]')].map((e) => ['link', e.href]),
        ...[...document.querySelectorAll('script[src]')].map((e) => ['script', e.src]),
      ]);
      for (const [tag, u] of urls) {
        if (!u.startsWith('file:')) continue;
        const url = new URL(u);
        const file = fileURLToPath(url.origin === 'null' ? `file://${url.pathname}` : url.href.split('#')[0].split('?')[0]);
        if (!fs.existsSync(file)) { broken.push(`${rel}: <${tag}> ${u}`); continue; }
        if (fs.statSync(file).isDirectory()) { broken.push(`${rel}: <${tag}> ${u} is a folder (file:// needs index.html)`); continue; }
        const frag = decodeURIComponent(url.hash.slice(1));
        if (frag && file.endsWith('.html') && !idsIn(file).has(frag)) broken.push(`${rel}: <${tag}> ${u} (no #${frag})`);
      }
    }
    await page.close();
    assert.deepEqual(broken, [], `unresolved from file://:\n${broken.join('\n')}`);
    assert.deepEqual(failed, [], `failed requests:\n${failed.join('\n')}`);
    assert.ok(pages.length > 60, `${pages.length} pages`);
  });

  test('file://: styles and scripts apply (the site works from a USB key)', async () => {
    const page = await browser.page();
    await page.goto(fileUrl(out, C.pages.sheet));
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('js')), 'site.js ran');
    assert.ok(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).borderBottomStyle === 'solid'), 'style.css applied');
    assert.ok((await page.locator('.prose input.step-check').count()) > 3, 'steps are tickable');
    await page.close();
  });

  test('no page requests anything outside the site', async () => {
    const page = await browser.page();
    const outside = [];
    page.on('request', (r) => { if (!r.url().startsWith(server.origin) && !r.url().startsWith('data:')) outside.push(r.url()); });
    for (const rel of ['index.html', C.pages['sheet-action'], C.pages.search, 'accessibilite/index.html']) {
      await page.goto(server.url + rel, { waitUntil: 'networkidle' });
    }
    await page.close();
    assert.deepEqual(outside, []);
  });
}

for (const C of CORPORA) describe(C.name, () => suite(C));
