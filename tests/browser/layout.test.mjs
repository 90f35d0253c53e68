// Phone and desktop layout: no horizontal scroll at 375 px on any page
// type, and screenshots at 375 and 1280 px kept in target/screenshots/
// (home, a sheet, search results, the action list) for a person to look at.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildSite, copySite, startNginx, launchBrowser, screenshot, servedSuites, CORPORA } from './helpers.mjs';

/** Each corpus served by nginx, with one Chromium (see servedSuites). */
servedSuites((C, ctx) => {
  const { open } = ctx;

  test('no page type scrolls sideways on a 375 px phone', async () => {
    const page = await ctx.browser.page({ width: 375, height: 812 });
    const wide = [];
    for (const [type, rel] of Object.entries(C.pages)) {
      await open(page, rel);
      const { scroll, client, culprits } = await page.evaluate(() => {
        const w = document.documentElement.clientWidth;
        const culprits = [...document.querySelectorAll('body *')]
          .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > w + 1 && !e.closest('.table-wrap, pre, .search-live'); })
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''}`);
        return { scroll: document.documentElement.scrollWidth, client: w, culprits };
      });
      if (scroll > client) wide.push(`${type} (${rel}): ${scroll} px > ${client} px; ${culprits.join(', ')}`);
    }
    await page.close();
    assert.deepEqual(wide, [], `pages wider than the phone:\n${wide.join('\n')}`);
  });

  test('the phone menu opens and closes from its button', async () => {
    const page = await ctx.browser.page({ width: 375, height: 812 });
    await open(page, C.pages.sheet);
    const toggle = page.locator('.nav-toggle');
    assert.equal(await toggle.isVisible(), true);
    assert.equal(await page.locator('#site-nav').isVisible(), false, 'menu folded at first');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('#site-nav a').first().isVisible(), true);
    await toggle.click();
    assert.equal(await page.locator('#site-nav').isVisible(), false);
    await page.close();
  });

  test("a sheet's headings get a permalink, named for screen readers and shown on focus", async () => {
    const page = await ctx.browser.page({ width: 1280, height: 900 });
    await open(page, C.pages.sheet);
    const heads = await page.$$eval('.prose h2[id]', (hs) => hs.map((h) => ({ id: h.id, text: h.textContent })));
    assert.ok(heads.length > 0, 'the sheet has sections');
    const links = await page.$$eval('.prose h2[id] > a.anchor', (as) => as.map((a) => ({ href: a.getAttribute('href'), label: a.getAttribute('aria-label'), parent: a.parentElement.id })));
    assert.equal(links.length, heads.length, 'one permalink per heading');
    for (const l of links) {
      assert.equal(l.href, '#' + l.parent);
      assert.match(l.label, /^Lien vers la section : \S/);
    }
    const first = page.locator('.prose h2[id] > a.anchor').first();
    assert.equal(await first.evaluate((a) => getComputedStyle(a).opacity), '0', 'hidden until hovered or focused');
    await first.focus();
    assert.equal(await first.evaluate((a) => getComputedStyle(a).opacity), '1', 'shown on keyboard focus');
    await page.close();
  });

  test('screenshots at 375 and 1280 px, light and dark', async () => {
    const shots = { home: C.pages.home, sheet: C.pages.sheet, search: C.pages.search, actions: C.pages.actions };
    const taken = {};
    const wrong = [];
    for (const width of [375, 1280]) {
      for (const colorScheme of ['light', 'dark']) {
        const height = width < 500 ? 812 : 900;
        const page = await ctx.browser.page({ width, height, colorScheme });
        for (const [name, rel] of Object.entries(shots)) {
          await open(page, rel);
          const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          const file = await screenshot(page, `${C.name}-${name}-${width}${colorScheme === 'dark' ? '-dark' : ''}`);
          // A full-page PNG of the page at this width (IHDR: width, height at bytes 16, 20).
          const png = fs.readFileSync(file);
          const w = png.readUInt32BE(16);
          const h = png.readUInt32BE(20);
          if (png.toString('latin1', 1, 4) !== 'PNG' || w !== width || h < height) {
            wrong.push(`${file}: ${w}×${h} px, expected ${width} px wide and at least ${height} px high`);
          }
          (taken[`${name}-${width}`] ||= {})[colorScheme] = { bg, png };
        }
        await page.close();
      }
    }
    assert.deepEqual(wrong, []);
    // The dark scheme is really applied: other background, other picture.
    for (const [shot, { light, dark }] of Object.entries(taken)) {
      assert.notEqual(light.bg, dark.bg, `${shot}: same background in light and dark (${light.bg})`);
      assert.ok(!light.png.equals(dark.png), `${shot}: the dark screenshot is the light one`);
    }
    assert.equal(Object.keys(taken).length, 8);
  });
});

// French text as a référent types it, with plain spaces before `?`, `!`,
// `:`, `;` and `»` and after `«`: at no phone width may the sign start a
// line of its own (the space before it is a no-break space on the page).
describe('French punctuation', () => {
  let server, browser;
  const sheet = 'fiches/wifi-typo/connexion/index.html';

  before(async () => {
    const site = copySite(CORPORA[0].root);
    const dir = path.join(site, 'content', 'fiches', 'wifi-typo');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'connexion.md'), [
      '+++',
      'title = "Se connecter au réseau pédagogique : la méthode « pas à pas » !"',
      'summary = "Pourquoi ça ne marche pas ? Suivez le guide ; c\'est simple !"',
      '+++',
      '',
      '## Pourquoi la connexion ne fonctionne-t-elle pas ?',
      '',
      'Le message « Impossible de se connecter au réseau » apparaît ; que faire ? Rien de grave ! Le mot de passe : celui de l\'ENT ; la salle : la **B12** !',
      '',
      '`a ? b : c` reste tel quel.',
      '',
    ].join('\n'));
    // Typed with the no-break spaces themselves (U+00A0, U+202F), as a
    // sheet written in a word processor has them.
    fs.writeFileSync(path.join(dir, 'invite.md'), [
      '+++',
      'title = "Wi\u2011Fi\u00a0: invité zorglub"',
      '+++',
      '',
      'Pour se connecter au réseau zorglub\u00a0: le code invité\u202f? Demandez-le à l\u2019accueil\u202f! Il change chaque semaine\u00a0; gardez-le.',
      '',
    ].join('\n'));
    server = await startNginx(buildSite(site), CORPORA[0].prefix);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('no line starts with ? ! : ; » nor ends with «, from 250 to 375 px', async () => {
    const page = await browser.page({ width: 375, height: 812 });
    await page.goto(server.url + sheet, { waitUntil: 'load' });
    const bad = new Set();
    let signs = 0;
    for (let width = 250; width <= 375; width += 3) {
      await page.setViewportSize({ width, height: 812 });
      const r = await page.evaluate(() => {
        const found = [];
        let n = 0;
        const top = (node, i) => {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rects = range.getClientRects();
          return rects.length ? rects[0].top : null;
        };
        for (const root of document.querySelectorAll('main h1, main .lead, main .prose')) {
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          for (let t = walker.nextNode(); t; t = walker.nextNode()) {
            if (t.parentElement.closest('pre, code, kbd')) continue;
            const s = t.data;
            for (const m of s.matchAll(/\S([ \u00a0])([?!:;»])|(«)([ \u00a0])\S/g)) {
              n++;
              // The sign and the character on the other side of the space.
              const [sign, other] = m[2] ? [m.index + 2, m.index] : [m.index, m.index + 2];
              const a = top(t, sign);
              const b = top(t, other);
              if (a !== null && b !== null && Math.abs(a - b) > 2) found.push(s.slice(Math.max(0, m.index - 12), m.index + 4));
            }
          }
        }
        return { found, n };
      });
      signs = Math.max(signs, r.n);
      for (const f of r.found) bad.add(`${width} px: …${f}`);
    }
    await page.close();
    assert.ok(signs >= 12, `the sheet's signs are all seen (${signs})`);
    assert.deepEqual([...bad], [], 'a sign parted from its word by a line break');
  });

  // The search results are drawn by search.js from the index's text, which
  // keeps plain spaces: the same rule there, across the snippet's marks.
  test('search results: title and snippet spaced as the pages are', async () => {
    const page = await browser.page({ width: 375, height: 812 });
    await page.goto(server.url + 'recherche/index.html?q=' + encodeURIComponent('impossible connecter réseau'));
    const hit = page.locator('#search-results li[data-id]', { hasText: 'la méthode' }).first();
    await hit.locator('.search-snippet mark').first().waitFor();
    const title = await hit.locator('.search-result-title').textContent();
    assert.equal(title, 'Se connecter au réseau pédagogique\u00a0: la méthode «\u00a0pas à pas\u00a0»\u00a0!');
    const snippet = await hit.locator('.search-snippet').textContent();
    assert.match(snippet, /connecter au réseau\u00a0»/, snippet);
    assert.doesNotMatch(snippet, / [?!:;»]|« /, snippet);
    await page.close();
  });

  // Typed no-break spaces reach the result as typed (the snippet made
  // them plain spaces), and no line of the result parts a sign from its
  // word at 375 px or narrower.
  test('search results: no-break spaces typed in the sheet are kept and hold', async () => {
    const page = await browser.page({ width: 375, height: 812 });
    await page.goto(server.url + 'recherche/index.html?q=zorglub');
    const hit = page.locator('#search-results li[data-id]', { hasText: 'zorglub' }).first();
    await hit.locator('.search-snippet mark').first().waitFor();
    assert.equal(await hit.locator('.search-result-title').textContent(), 'Wi\u2011Fi\u00a0: invité zorglub');
    const snippet = await hit.locator('.search-snippet').textContent();
    assert.match(snippet, /zorglub\u00a0: le code invité\u202f\? Demandez-le à l\u2019accueil\u202f! Il change chaque semaine\u00a0;/, JSON.stringify(snippet));
    const bad = [];
    for (let width = 250; width <= 375; width += 5) {
      await page.setViewportSize({ width, height: 812 });
      bad.push(...await hit.evaluate((li) => {
        const found = [];
        const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
        for (let t = walker.nextNode(); t; t = walker.nextNode()) {
          for (const m of t.data.matchAll(/\S[\u00a0\u202f][?!:;]/g)) {
            const top = (i) => { const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1); const q = r.getClientRects(); return q.length ? q[0].top : null; };
            const a = top(m.index), b = top(m.index + 2);
            if (a !== null && b !== null && Math.abs(a - b) > 2) found.push(`${innerWidth} px: ${t.data.slice(Math.max(0, m.index - 10), m.index + 3)}`);
          }
        }
        return found;
      }));
    }
    await page.close();
    assert.deepEqual(bad, [], 'a sign parted from its word in a result');
  });
});
