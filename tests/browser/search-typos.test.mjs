// Issue 14 in Chromium from file://: each example of the table
// finds its sheet first on the demo site (the repository's own book.toml +
// content/), with the same ids in the same order as `fiches search`.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, BIN, axe, buildSite, formatViolations, launchBrowser, tempDir } from './helpers.mjs';

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

test('the issue 14 table from file://: first sheet, and the CLI ids in the same order', () => firstAndCli(TABLE));

// Two edits, one in each half of a long word (engine::far_keys); the
// infinitive for the participle (engine::verb_form_surfaces).
test('two typos far apart in a long word, -er for -é, from file://, as in the CLI', () => firstAndCli([
  ['vidoeprojceteur', 'videoprojection/pas-de-signal'],
  ['inprimente', 'impression/file-bloquee'],
  ['mot de passe oublier', 'ent/mot-de-passe-oublie'],
]));

async function firstAndCli(table) {
  const page = await browser.page();
  const base = pathToFileURL(out).href + '/';
  const bad = [];
  for (const [q, want] of table) {
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
}

async function openSearch(page, base, q) {
  await page.goto(`${base}recherche/index.html?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => {
    const s = document.querySelector('.search-status');
    return s && /résultat/i.test(s.textContent);
  }, null, { timeout: 15000 });
}

test('"Vouliez-vous dire" from the site vocabulary, as in the CLI', async () => {
  const page = await browser.page();
  const base = pathToFileURL(out).href + '/';
  await openSearch(page, base, 'inprimante bloquée');
  await page.waitForSelector('.search-suggest a', { timeout: 10000 });
  const text = await page.$eval('.search-suggest', (e) => e.textContent);
  assert.match(text, /Vouliez-vous dire «\s*imprimante bloquée\s*»\s*\?/);
  const href = await page.$eval('.search-suggest a', (a) => a.href);
  assert.ok(href.includes('recherche/index.html?q=imprimante%20bloqu%C3%A9e'), href);
  await page.close();
});

test('a search without result offers the help request (query pre-filled) and the categories; axe clean', async () => {
  const page = await browser.page();
  const base = pathToFileURL(out).href + '/';
  await openSearch(page, base, 'zzqx wxcv');
  await page.waitForSelector('#search-help:not([hidden])', { timeout: 10000 });
  const help = await page.$eval('#search-help', (h) => ({
    title: h.querySelector('h2').textContent,
    text: h.querySelector('[data-help-text]').textContent,
    mail: (h.querySelector('[data-help="email"]') || {}).href,
    ticket: (h.querySelector('[data-help="ticket"]') || {}).href,
    cats: [...h.querySelectorAll('.search-help-categories a')].map((a) => a.href),
  }));
  assert.equal(help.title, 'Ça ne marche toujours pas\u202f?');
  assert.ok(help.text.includes('zzqx wxcv'), help.text);
  assert.ok(help.mail.startsWith('mailto:referents.numeriques@') && help.mail.includes('zzqx%20wxcv'), help.mail);
  assert.ok(help.ticket.startsWith('https://assistance.example.org/') && help.ticket.includes('titre=zzqx%20wxcv'), help.ticket);
  assert.ok(help.cats.length >= 5, help.cats.join(' '));
  for (const c of help.cats) assert.ok(c.startsWith(base) && c.endsWith('index.html'), c);
  const violations = await axe(page);
  assert.deepEqual(violations, [], formatViolations(violations));
  // With results, the help is hidden again.
  await openSearch(page, base, 'imprimante');
  assert.equal(await page.$eval('#search-help', (h) => h.hidden), true);
  await page.close();
});

test('a query with no word to search says so, with the help request and the categories, as the CLI; axe clean', async () => {
  const page = await browser.page();
  const base = pathToFileURL(out).href + '/';
  const cases = [
    ['\u{1F5A8}\uFE0F', /ne contient aucun mot à chercher/],
    ['???', /ne contient aucun mot à chercher/],
    ['-', /ne contient aucun mot à chercher/],
    ['le la', /ne contient que des mots trop courants/],
  ];
  for (const [q, said] of cases) {
    await openSearch(page, base, q);
    await page.waitForSelector('#search-help:not([hidden])', { timeout: 10000 });
    const shown = await page.$eval('.search-status', (e) => e.textContent);
    assert.match(shown, said, `${q}: ${shown}`);
    assert.ok(shown.includes(`«\u00a0${q}\u00a0»`), `${q}: ${shown}`);
    // Said once, by the status line above the filters: not again below them.
    assert.equal(await page.$$eval('#search-results .search-empty', (e) => e.length), 0, q);
    // What `fiches search` says, word for word.
    const cli = execFileSync(BIN, ['--root', REPO, 'search', q], {
      env: { ...process.env, FICHES_CACHE_DIR: tempDir('fiches-cache-'), NO_COLOR: '1' },
      encoding: 'utf8',
    });
    assert.equal(cli.trim(), shown, q);
    const help = await page.$eval('#search-help', (h) => ({
      mail: (h.querySelector('[data-help="email"]') || {}).href,
      cats: h.querySelectorAll('.search-help-categories a').length,
    }));
    assert.ok(help.mail.includes(encodeURIComponent(q)), `${q}: ${help.mail}`);
    assert.ok(help.cats >= 5, `${q}: ${help.cats} categories`);
  }
  const violations = await axe(page);
  assert.deepEqual(violations, [], formatViolations(violations));
  // A word the index lacks is still "no result".
  await openSearch(page, base, 'zzqx wxcv');
  assert.match(await page.$eval('.search-status', (e) => e.textContent), /^Aucun résultat pour/);
  // The header box of a sheet says it too.
  await page.goto(base + 'fiches/impression/index.html');
  await page.focus('#search-input');
  await page.keyboard.type('???');
  await page.waitForSelector('#search-live .search-empty', { timeout: 10000 });
  assert.match(await page.$eval('#search-live .search-empty', (e) => e.textContent), /ne contient aucun mot à chercher/);
  assert.deepEqual(page.__errors || [], []);
  await page.close();
});

/** tests/fixtures/suggest-queries.toml: [{q, kind, demo, college}] (its
 * strings are TOML basic strings without escapes beyond JSON's). */
function suggestFixture() {
  const text = fs.readFileSync(path.join(REPO, 'tests/fixtures/suggest-queries.toml'), 'utf8');
  return text.split('[[query]]').slice(1).map((block) => {
    const o = {};
    for (const m of block.matchAll(/^(\w+) = ("(?:[^"\\]|\\.)*")/gm)) o[m[1]] = JSON.parse(m[2]);
    return o;
  });
}

test('"Vouliez-vous dire" only where the correction found the results: the fixture on the demo site', async () => {
  const page = await browser.page();
  const base = pathToFileURL(out).href + '/';
  const cases = suggestFixture();
  assert.ok(cases.length >= 20, String(cases.length));
  const bad = [];
  for (const c of cases) {
    await openSearch(page, base, c.q);
    // The page asked the engine once its results were shown; the same
    // question, answered from the same search, settles after it.
    const engine = await page.evaluate((q) => window.__fichesSearch.engine.suggest(q), c.q);
    await page.waitForTimeout(50);
    const shown = await page.$eval('#search-results', (r) => {
      const a = r.querySelector('.search-suggest a');
      return a ? a.textContent : '';
    });
    if ((engine || '') !== c.demo || shown !== c.demo) bad.push(`${c.q} (${c.kind}) → engine ${JSON.stringify(engine)}, page ${JSON.stringify(shown)}, attendu ${JSON.stringify(c.demo)}`);
  }
  assert.deepEqual(page.__errors || [], []);
  await page.close();
  assert.deepEqual(bad, []);
});

test('a search without result keeps its suggestion beside the help request; axe clean', async () => {
  const page = await browser.page();
  const base = pathToFileURL(out).href + '/';
  await openSearch(page, base, 'tbiwifi');
  await page.waitForSelector('#search-help:not([hidden])', { timeout: 10000 });
  await page.waitForSelector('.search-suggest a', { timeout: 10000 });
  assert.match(await page.$eval('.search-suggest', (e) => e.textContent), /Vouliez-vous dire «\s*tbi wifi\s*»\s*\?/);
  assert.match(await page.$eval('.search-status', (e) => e.textContent), /Aucun résultat/);
  const mail = await page.$eval('#search-help [data-help="email"]', (a) => a.href);
  assert.ok(mail.includes('tbiwifi'), mail);
  const violations = await axe(page);
  assert.deepEqual(violations, [], formatViolations(violations));
  await page.close();
});

test('a training path is a result of its own kind, with its filter, as in the CLI; axe clean', async () => {
  const page = await browser.page();
  const base = pathToFileURL(out).href + '/';
  await openSearch(page, base, 'premiers pas');
  const first = await page.$eval('#search-results [data-id]', (li) => ({
    id: li.getAttribute('data-id'),
    href: li.querySelector('a.search-result-title').href,
    kind: li.querySelector('.search-kind').textContent,
    category: (li.querySelector('.search-category') || {}).textContent,
  }));
  assert.equal(first.id, 'parcours/nouveau-collegue');
  assert.equal(first.href, `${base}parcours/nouveau-collegue/index.html`);
  assert.equal(first.kind, 'Parcours');
  // Its category is its kind's name: said once (« Parcours · Parcours » before).
  assert.equal(first.category, undefined);
  assert.deepEqual(
    await page.$$eval('#search-results [data-id]', (els) => els.map((e) => e.getAttribute('data-id'))),
    cliIds('premiers pas'),
  );
  // The kind filter offers paths and keeps them alone, in the address too.
  await page.waitForSelector('#search-kind-parcours');
  assert.equal(await page.$eval('label[for="search-kind-parcours"]', (l) => l.textContent), 'Parcours');
  await page.click('#search-kind-parcours');
  await page.waitForFunction(() => /type=parcours/.test(location.search));
  await page.waitForFunction(() => [...document.querySelectorAll('#search-results [data-id]')].every((e) => e.getAttribute('data-id').startsWith('parcours/')));
  const only = await page.$$eval('#search-results [data-id]', (els) => els.map((e) => e.getAttribute('data-id')));
  assert.ok(only.length >= 1 && only.includes('parcours/nouveau-collegue'), only.join(' '));
  const violations = await axe(page);
  assert.deepEqual(violations, [], formatViolations(violations));
  assert.deepEqual(page.__errors || [], []);
  await page.close();
});
