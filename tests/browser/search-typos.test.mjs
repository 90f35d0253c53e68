// Issue 14 in Chromium from file://: each example of the table
// finds its sheet first on the demo site (the repository's own book.toml +
// content/), with the same ids in the same order as `fiches search`.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { REPO, BIN, buildSite, launchBrowser, tempDir } from './helpers.mjs';

const TABLE = [
  ['inprimante', 'impression/file-bloquee'],
  ['inpression', 'impression/file-bloquee'],
  ['wfi', 'wifi/wifi-pedagogique'],
  ['videoprojo', 'videoprojection/pas-de-signal'],
  ['motdepasse', 'ent/mot-de-passe-oublie'],
  ['wifiinvité', 'wifi/compte-invite'],
  ['son ne marche pas', 'videoprojection/pas-de-son'],
];

let browser;
let out;
before(async () => {
  out = buildSite(REPO);
  browser = await launchBrowser();
});
after(async () => { if (browser) await browser.close(); });

function cliIds(q) {
  const json = execFileSync(BIN, ['--root', REPO, 'search', '--format', 'json', '--limit', '10', q], {
    env: { ...process.env, FICHES_CACHE_DIR: tempDir('fiches-cache-'), NO_COLOR: '1' },
  });
  return JSON.parse(json).map((h) => h.id);
}

test('the issue 14 table from file://: first sheet, and the CLI ids in the same order', async () => {
  const page = await browser.page();
  const base = pathToFileURL(out).href + '/';
  const bad = [];
  for (const [q, want] of TABLE) {
    await page.goto(`${base}recherche/index.html?q=${encodeURIComponent(q)}`);
    await page.waitForFunction(() => {
      const s = document.querySelector('.search-status');
      return s && /résultat/i.test(s.textContent);
    }, null, { timeout: 15000 });
    const ids = await page.$$eval('#search-results [data-id]', (els) => els.map((e) => e.getAttribute('data-id')));
    if (ids[0] !== want) bad.push(`${q} → ${ids.slice(0, 3).join(', ')} (attendu ${want})`);
    const cli = cliIds(q);
    const n = Math.min(10, cli.length, ids.length);
    assert.deepEqual(ids.slice(0, n), cli.slice(0, n), `${q}: browser vs CLI`);
  }
  assert.deepEqual(page.__errors || [], []);
  await page.close();
  assert.deepEqual(bad, []);
});
