// Offline use on a phone (src/offline.rs, templates/sw.js): the demo site
// (the repository's content/, Wi-Fi and ENT marked `offline = true`) served
// by nginx under /aide-numerique/. The home page installs the service
// worker; with the network cut (context.setOffline) a marked sheet opens,
// search finds it with its snippet, and a page never opened shows the
// offline page. After a rebuild the open tab offers the new version and
// keeps the old one until the reader accepts it. From file:// nothing is
// registered.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, fiches, tempDir, startNginx, launchBrowser, axe, formatViolations, fileUrl, screenshot } from './helpers.mjs';

const MARKED = 'fiches/wifi/compte-invite/index.html';
const MARKED_TITLE = 'Créer un compte Wi-Fi invité';
const VISITED = 'fiches/videoprojection/pas-de-signal/index.html';
const UNVISITED = 'fiches/impression/file-bloquee/index.html';
let site, out, server, browser, page;

/** The demo site (book.toml, content/, static/) copied, under /aide-numerique/. */
function demoCopy() {
  const dir = path.join(tempDir('fiches-offline-site-'), 'site');
  fs.mkdirSync(dir, { recursive: true });
  for (const p of ['content', 'static']) {
    if (fs.existsSync(path.join(REPO, p))) fs.cpSync(path.join(REPO, p), path.join(dir, p), { recursive: true });
  }
  const book = fs.readFileSync(path.join(REPO, 'book.toml'), 'utf8').replace(/base-url = "[^"]*"/, 'base-url = "/aide-numerique/"');
  fs.writeFileSync(path.join(dir, 'book.toml'), book);
  return dir;
}

const build = () => fiches(['--root', site, 'build', '--quiet', '--output', out]);

before(async () => {
  site = demoCopy();
  out = path.join(tempDir('fiches-offline-out-'), 'public');
  build();
  server = await startNginx(out, '/aide-numerique/');
  browser = await launchBrowser();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  page = await browser.page({ width: 375, height: 800 });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const h1 = () => page.textContent('h1');
const fichesCaches = () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('fiches:')));

test('the first visit installs the service worker under the sub-path and keeps the marked categories', async () => {
  await page.goto(server.url + 'index.html');
  const manifest = await page.evaluate(() => document.querySelector('link[rel="manifest"]')?.href);
  assert.equal(manifest, server.url + 'manifest.webmanifest');
  const m = await (await fetch(manifest)).json();
  assert.equal(new URL(m.start_url, manifest).href, server.url + 'index.html', 'start_url under the base URL');
  assert.equal(new URL(m.scope, manifest).href, server.url, 'scope: the base URL');
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, server.url, 'registered for the base URL, not the host root');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  const names = await fichesCaches();
  assert.equal(names.length, 1, names.join(', '));
  assert.ok(names[0].startsWith(`fiches:${server.url}:`), names[0]);
  const kept = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url), names[0]);
  for (const p of [MARKED, 'fiches/ent/mot-de-passe-oublie/index.html', 'recherche/index.html', 'actions/index.html', 'hors-ligne/index.html', 'search/manifest.js', 'assets/style.css', 'assets/search.js', 'assets/search-engine.js']) {
    assert.ok(kept.includes(server.url + p), `${p} is precached`);
  }
  assert.ok(!kept.includes(server.url + UNVISITED), 'an unmarked sheet is not');
  // A page read online is kept too.
  await page.goto(server.url + VISITED);
  assert.match(await h1(), /Pas de signal/);
  await page.waitForFunction(async (u) => !!(await caches.match(u)), server.url + VISITED, { timeout: 10000 });
});

test('offline: a marked sheet opens, and its help request is copied and mailed', async () => {
  await browser.context.setOffline(true);
  await page.goto(server.url + MARKED);
  assert.equal((await h1()).trim(), MARKED_TITLE);
  assert.ok(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).borderBottomStyle === 'solid'), 'styled from the cache');
  await page.click('[data-support-copy]');
  await page.waitForFunction(() => /copié/.test(document.querySelector('[data-support-status]')?.textContent || ''));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied.includes(MARKED_TITLE), copied);
  const mail = await page.getAttribute('[data-support-link="email"]', 'href');
  assert.match(mail, /^mailto:referents\.numeriques@/);
  // A page opened online before is there too.
  await page.goto(server.url + VISITED);
  assert.match(await h1(), /Pas de signal/);
});

test('offline: search finds the marked sheet with its snippet, and marks results not kept', async () => {
  await page.goto(server.url + 'recherche/index.html?q=' + encodeURIComponent('compte invité wifi'));
  await page.waitForSelector('#search-results li[data-id]', { timeout: 15000 });
  const hit = page.locator(`#search-results li[data-id]:has(a[href$="${MARKED}"])`);
  assert.equal(await hit.count(), 1, 'the marked sheet is found');
  assert.match(await hit.locator('.search-snippet').textContent(), /\S{10}/, 'with its snippet');
  assert.ok((await hit.locator('.search-snippet mark').count()) > 0, 'query words highlighted');
  assert.equal(await hit.locator('.search-not-cached').count(), 0, 'a kept sheet is not marked');

  await page.goto(server.url + 'recherche/index.html?q=' + encodeURIComponent('imprimante'));
  await page.waitForSelector('#search-results li[data-id]', { timeout: 15000 });
  const printer = page.locator(`#search-results li[data-id]:has(a[href$="${UNVISITED}"])`);
  assert.equal(await printer.count(), 1);
  await printer.locator('.search-not-cached').waitFor({ timeout: 5000 });
  assert.match(await printer.locator('.search-not-cached').textContent(), /Non disponible hors connexion/);
});

test('offline: a page never opened shows the offline page, in the site style, with what is kept', async () => {
  await page.goto(server.url + UNVISITED);
  assert.ok(page.url().startsWith(server.url + 'hors-ligne/index.html?from='), page.url());
  assert.equal((await h1()).trim(), 'Vous êtes hors connexion');
  assert.equal(await page.locator('[data-offline-retry]').getAttribute('href'), server.url + UNVISITED);
  assert.ok(await page.locator('#search-input').isVisible(), 'the search box');
  const links = await page.$$eval('.offline-list a', (as) => as.map((a) => a.href));
  assert.ok(links.includes(server.url + MARKED), 'lists the marked sheets');
  await page.locator('[data-offline-visited]:not([hidden]) a').first().waitFor({ timeout: 5000 });
  assert.ok((await page.textContent('[data-offline-visited]')).includes("Pas de signal"), 'and pages read before');
  await screenshot(page, 'offline-page-375');
  const v = await axe(page);
  assert.deepEqual(v, [], formatViolations(v));
  // Its links work with no network.
  await page.click(`.offline-list a[href$="${MARKED}"]`);
  await page.waitForURL(server.url + MARKED);
  assert.equal((await h1()).trim(), MARKED_TITLE);
});

test('a rebuild: the open tab offers the new version, keeps the old one until accepted, then serves the new', async () => {
  const sheet = path.join(site, 'content/fiches/wifi/compte-invite.md');
  fs.writeFileSync(sheet, fs.readFileSync(sheet, 'utf8').replace(`title = "${MARKED_TITLE}"`, `title = "${MARKED_TITLE} (version 2)"`));
  build();
  await browser.context.setOffline(false);
  await page.goto(server.url + 'index.html');
  const notice = page.locator('#update-notice button');
  await notice.waitFor({ state: 'visible', timeout: 30000 });
  assert.match(await page.textContent('#update-notice'), /Une nouvelle version des fiches est disponible — recharger/);
  // Until accepted, this tab stays on the version it started with.
  await page.goto(server.url + MARKED);
  assert.equal((await h1()).trim(), MARKED_TITLE);
  await notice.waitFor({ state: 'visible', timeout: 10000 });
  await screenshot(page, 'offline-update-notice-375', { fullPage: false });
  const v = await axe(page);
  assert.deepEqual(v, [], formatViolations(v));
  await Promise.all([page.waitForEvent('load', { timeout: 20000 }), notice.click()]);
  assert.equal((await h1()).trim(), `${MARKED_TITLE} (version 2)`);
  assert.equal(await page.locator('#update-notice button').count(), 0, 'no notice once updated');
  const names = await fichesCaches();
  assert.equal(names.length, 1, `the old cache is gone: ${names.join(', ')}`);
  // The new version works offline too.
  await browser.context.setOffline(true);
  await page.goto(server.url + 'fiches/ent/mot-de-passe-oublie/index.html');
  assert.match(await h1(), /mot de passe/);
  await browser.context.setOffline(false);
});

test('file://: no service worker, no error', async () => {
  const p = await browser.page();
  const failed = [];
  p.on('requestfailed', (r) => { if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(`${r.url()} (${r.failure()?.errorText})`); });
  await p.goto(fileUrl(out, 'index.html'));
  await p.goto(fileUrl(out, MARKED));
  assert.ok(await p.evaluate(() => document.documentElement.classList.contains('js')), 'site.js ran');
  assert.equal(await p.locator('link[rel="manifest"]').count(), 0, 'no manifest request from file://');
  const regs = await p.evaluate(async () => (navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0)).catch(() => 0);
  assert.equal(regs, 0);
  assert.deepEqual(p.__errors || [], []);
  assert.deepEqual(failed, []);
  await p.close();
});
