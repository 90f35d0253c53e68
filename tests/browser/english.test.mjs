// An English site (tests/fixtures/english) from file://: the search page
// finds, says "no results" with the help request pre-filled, suggests a
// spelling, all in English; axe clean.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, axe, buildSite, formatViolations, launchBrowser } from './helpers.mjs';

let browser;
let base;
before(async () => {
  base = pathToFileURL(buildSite(path.join(REPO, 'tests', 'fixtures', 'english'))).href + '/';
  browser = await launchBrowser();
});
after(async () => { if (browser) await browser.close(); });

async function openSearch(page, q) {
  await page.goto(`${base}recherche/index.html?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => {
    const s = document.querySelector('.search-status');
    return s && /result/i.test(s.textContent);
  }, null, { timeout: 15000 });
  return page.$eval('.search-status', (e) => e.textContent);
}

test('English search from file://: results, none with help, a suggestion; axe clean', async () => {
  const page = await browser.page();
  assert.equal(await (await page.goto(base + 'recherche/index.html'), page.$eval('html', (h) => h.lang)), 'en');
  const found = await openSearch(page, 'printer queue');
  assert.match(found, /^\d+ results?$/, found);
  const ids = await page.$$eval('#search-results [data-id]', (els) => els.map((e) => e.getAttribute('data-id')));
  assert.equal(ids[0], 'printing/stuck-queue', ids.join(' '));
  let violations = await axe(page);
  assert.deepEqual(violations, [], formatViolations(violations));

  const none = await openSearch(page, 'zzqx wxcv');
  assert.equal(none, 'No results for “zzqx wxcv”.');
  await page.waitForSelector('#search-help:not([hidden])', { timeout: 10000 });
  const help = await page.$eval('#search-help', (h) => ({
    title: h.querySelector('h2').textContent,
    text: h.querySelector('[data-help-text]').textContent,
    mail: (h.querySelector('[data-help="email"]') || {}).href,
  }));
  assert.equal(help.title, 'Still not working?');
  assert.ok(help.text.includes('zzqx wxcv'), help.text);
  assert.ok(help.mail.startsWith('mailto:it-help@') && help.mail.includes('Help%20requested'), help.mail);
  assert.ok(decodeURIComponent(help.mail).includes('I found no sheet for: zzqx wxcv'), help.mail);
  violations = await axe(page);
  assert.deepEqual(violations, [], formatViolations(violations));

  await openSearch(page, 'priner');
  await page.waitForSelector('.search-suggest a', { timeout: 10000 });
  const suggest = await page.$eval('.search-suggest', (e) => e.textContent);
  assert.match(suggest, /^Did you mean/, suggest);
  assert.match(suggest, /^Did you mean “printer”\?$/, suggest);
  assert.doesNotMatch(suggest, /Vouliez|«/, suggest);
  assert.deepEqual(page.__errors || [], []);
  await page.close();
});
