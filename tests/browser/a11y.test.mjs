// Accessibility (WCAG 2.1 AA, the basis of the French RGAA): axe-core finds
// no violation on any page type of each corpus, in light and dark
// mode, served by nginx under its sub-path; keyboard use works (skip link
// first, focus moved to the content, search reachable, `/` focuses it,
// focus always visible); `lang` is set.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, formatViolations, servedSuites } from './helpers.mjs';

/** Each corpus served by nginx, with one Chromium (see servedSuites). */
servedSuites((C, ctx) => {
  const { open } = ctx;


  for (const colorScheme of ['light', 'dark']) {
    test(`axe finds no violation on any page type (${colorScheme})`, async () => {
      const page = await ctx.browser.page({ colorScheme });
      const report = [];
      for (const [type, rel] of Object.entries(C.pages)) {
        await open(page, rel);
        const v = await axe(page);
        if (v.length) report.push(`== ${type} (${rel})\n${formatViolations(v)}`);
      }
      await page.close();
      assert.equal(report.length, 0, `axe violations:\n${report.join('\n')}`);
    });
  }

  test('axe finds no violation in the live results under the search box', async () => {
    const page = await ctx.browser.page();
    await open(page, C.pages.sheet);
    await page.fill('#search-input', 'imprimante');
    await page.waitForSelector('#search-live [data-id]', { timeout: 10000 });
    await page.keyboard.press('ArrowDown');
    const v = await axe(page);
    await page.close();
    assert.deepEqual(v, [], formatViolations(v));
  });

  test('axe finds no violation on a phone either (menu open, support form filled)', async () => {
    const page = await ctx.browser.page({ width: 375, height: 812 });
    await open(page, C.pages.sheet);
    await page.click('.nav-toggle');
    await page.fill('#support-room', 'Salle 112');
    await page.check('.prose input.step-check >> nth=0');
    const v = await axe(page);
    await page.close();
    assert.deepEqual(v, [], formatViolations(v));
  });

  test('every page declares its language', async () => {
    const page = await ctx.browser.page();
    for (const rel of Object.values(C.pages)) {
      await open(page, rel);
      assert.equal(await page.getAttribute('html', 'lang'), 'fr', rel);
    }
    await page.close();
  });

  test('the 404 page answers 404 and links back under the sub-path', async () => {
    const page = await ctx.browser.page();
    const res = await open(page, C.pages['404']);
    assert.equal(res.status(), 404);
    const home = await page.getAttribute('.site-brand', 'href');
    assert.equal(new URL(home, page.url()).href, ctx.server.url + 'index.html');
    assert.ok(await page.evaluate(() => getComputedStyle(document.body).fontFamily.includes('system-ui')), 'styles load on the 404 page');
    await page.close();
  });

  test('keyboard: Tab reaches the skip link first, which moves focus to the content', async () => {
    const page = await ctx.browser.page();
    await open(page, C.pages.sheet);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({ cls: document.activeElement.className, text: document.activeElement.textContent, top: document.activeElement.getBoundingClientRect().top }));
    assert.equal(first.cls, 'skip-link');
    assert.ok(first.top >= 0, 'the skip link is visible when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'contenu', 'focus is on <main>');
    // The next Tab goes into the content, not back to the header.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('main')), 'next stop is inside main');
    await page.close();
  });

  test('keyboard: the search box is reachable with Tab and `/` focuses it', async () => {
    const page = await ctx.browser.page();
    for (const rel of [C.pages.home, C.pages.sheet]) {
      await open(page, rel);
      let found = false;
      for (let i = 0; i < 15 && !found; i++) {
        await page.keyboard.press('Tab');
        found = await page.evaluate(() => document.activeElement.id === 'search-input');
      }
      assert.ok(found, `#search-input reached with Tab on ${rel}`);
      await page.evaluate(() => document.activeElement.blur());
      await page.locator('main h1').first().click();
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input', `/ focuses search on ${rel}`);
    }
    await page.close();
  });

  test('keyboard: every focusable element shows a visible focus indicator', async () => {
    const page = await ctx.browser.page();
    const missing = [];
    for (const rel of [C.pages.home, C.pages.sheet, C.pages.actions, C.pages.category]) {
      await open(page, rel);
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          const own = getComputedStyle(e);
          // Cards draw the ring on their container (:focus-within); a
          // sheet's card is a `.cards > li` without a class.
          const box = e.closest('.card, .cards > li, .category-card');
          const ring = box ? getComputedStyle(box) : own;
          const visible = (s) => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
          return { ok: visible(own) || visible(ring) || own.boxShadow !== 'none', what: `${e.tagName.toLowerCase()}.${e.className} "${(e.textContent || e.value || '').trim().slice(0, 30)}"` };
        });
        if (f === null) break;
        if (!f.ok) missing.push(`${rel}: ${f.what}`);
      }
    }
    await page.close();
    assert.deepEqual(missing, [], `no visible focus:\n${missing.join('\n')}`);
  });
});
