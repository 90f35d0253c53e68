// A teacher on a phone (review26): keyboard order as the eye reads the
// page, reflow at 320 CSS px (WCAG 1.4.10: 1280 px at 400 %), axe in the
// dark scheme at phone width with the menu open, and a training path
// followed sheet to sheet, on every corpus served by nginx.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, formatViolations, servedSuites } from './helpers.mjs';

/** Each corpus served by nginx, with one Chromium (see servedSuites). */
servedSuites((C, ctx) => {
  const { open } = ctx;

  /** The page's focus stops, in Tab order, with where each is drawn. */
  async function tabStops(page, n) {
    const stops = [];
    for (let i = 0; i < n; i++) {
      await page.keyboard.press('Tab');
      const s = await page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        const r = e.getBoundingClientRect();
        return { what: `${e.tagName.toLowerCase()}.${e.className} "${(e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 24)}"`, top: r.top + window.scrollY, left: r.left, bottom: r.bottom + window.scrollY, height: r.height };
      });
      if (!s) break;
      stops.push(s);
    }
    return stops;
  }

  test('keyboard on a phone: the header is reached in the order it is read', async () => {
    const page = await ctx.browser.page({ width: 375, height: 667 });
    const wrong = [];
    for (const rel of [C.pages.sheet, C.pages.category, C.pages.actions]) {
      await open(page, rel);
      // The skip link first, then the header's stops, top to bottom, left
      // to right within a row (a stop drawn above the previous one's row
      // comes too late).
      const stops = (await tabStops(page, 6)).slice(1).filter((s) => s.height > 0);
      for (let i = 1; i < stops.length; i++) {
        const [a, b] = [stops[i - 1], stops[i]];
        if (b.bottom <= a.top) wrong.push(`${rel}: ${b.what} (top ${Math.round(b.top)}) after ${a.what} (top ${Math.round(a.top)})`);
      }
    }
    await page.close();
    assert.deepEqual(wrong, [], `focus goes back up:\n${wrong.join('\n')}`);
  });

  // review31: on a 375 px phone the search filters were 26 px tall, the
  // menu button 40, the breadcrumb, table of contents and footer links
  // 16-18, the help's categories 24: too small for a finger.
  test('on a phone, the controls outside the text are 44 px tall to tap', async () => {
    const page = await ctx.browser.page({ width: 375, height: 812 });
    const small = [];
    const nothing = `recherche/index.html?q=${encodeURIComponent('zqxwv kplmj')}`;
    for (const rel of [C.pages.home, C.pages.category, C.pages.sheet, C.pages.search, nothing, C.pages.session]) {
      if (rel === nothing) {
        await page.goto(ctx.server.url + rel, { waitUntil: 'load' });
        await page.waitForSelector('#search-help:not([hidden])', { timeout: 10000 });
      } else await open(page, rel);
      await page.evaluate(() => document.querySelectorAll('.toc details').forEach((d) => { d.open = true; }));
      const found = await page.evaluate(() => {
        const sel = '.nav-toggle, a.button, button.button, .print-button, .breadcrumb a, .toc summary, .toc a, .footer-links a, .search-filter-option, .search-filter-audience select, .search-help-categories a';
        return [...document.querySelectorAll(sel)]
          .map((e) => [e, e.getBoundingClientRect()])
          .filter(([, r]) => r.width > 0 && r.height > 0 && r.height < 43.5)
          .map(([e, r]) => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 20)}" ${Math.round(r.height)} px`);
      });
      small.push(...found.map((f) => `${rel}: ${f}`));
    }
    await page.close();
    assert.deepEqual(small, [], small.join('\n'));
  });

  test('reflow at 320 px: no page type scrolls sideways (WCAG 1.4.10)', async () => {
    const page = await ctx.browser.page({ width: 320, height: 640 });
    const wide = [];
    for (const [type, rel] of Object.entries(C.pages)) {
      await open(page, rel);
      const r = await page.evaluate(() => {
        const w = document.documentElement.clientWidth;
        const culprits = [...document.querySelectorAll('body *')]
          .filter((e) => { const b = e.getBoundingClientRect(); return b.width > 0 && b.right > w + 1 && !e.closest('.table-wrap, pre'); })
          .slice(0, 4).map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
        return { scroll: document.documentElement.scrollWidth, w, culprits };
      });
      if (r.scroll > r.w) wide.push(`${type}: ${r.scroll} > ${r.w} (${r.culprits.join(', ')})`);
    }
    await page.close();
    assert.deepEqual(wide, [], wide.join('\n'));
  });

  test('keyboard on a phone: Enter opens the menu, Escape closes it and gives the focus back to its button', async () => {
    const page = await ctx.browser.page({ width: 375, height: 667 });
    await open(page, C.pages.sheet);
    const state = () => page.evaluate(() => ({
      expanded: document.querySelector('.nav-toggle').getAttribute('aria-expanded'),
      navShown: getComputedStyle(document.getElementById('site-nav')).display !== 'none',
      focus: document.activeElement.className,
    }));
    await page.focus('.nav-toggle');
    await page.keyboard.press('Enter');
    assert.equal((await state()).expanded, 'true');
    // On the menu's first link (after the search box in Tab order), then
    // Escape: closed, focus on the button.
    await page.focus('#site-nav a');
    assert.ok(await page.evaluate(() => document.getElementById('site-nav').contains(document.activeElement)));
    await page.keyboard.press('Escape');
    assert.deepEqual(await state(), { expanded: 'false', navShown: false, focus: 'nav-toggle' });
    // Escape on the button itself closes it too.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    assert.equal((await state()).expanded, 'false');
    await page.close();
  });

  test('axe in the dark scheme on a phone, menu open, on every page type', async () => {
    const page = await ctx.browser.page({ width: 375, height: 667, colorScheme: 'dark' });
    const report = [];
    for (const [type, rel] of Object.entries(C.pages)) {
      await open(page, rel);
      if (await page.locator('.nav-toggle').isVisible()) await page.click('.nav-toggle');
      const v = await axe(page);
      if (v.length) report.push(`== ${type}\n${formatViolations(v)}`);
    }
    await page.close();
    assert.equal(report.length, 0, report.join('\n'));
  });

  test("a training path followed on a phone, sheet to sheet, by « Étape suivante »", async () => {
    const page = await ctx.browser.page({ width: 375, height: 667 });
    await open(page, C.pages.path);
    const steps = await page.$$eval('.path-step > a', (as) => as.map((a) => a.href));
    await page.click('.path-step > a >> nth=0');
    const visited = [page.url()];
    for (let k = 1; k < steps.length; k++) {
      // The sheet may be in other paths: this path's line.
      const next = page.locator(`.path-places li:has(> a[href$="parcours/${C.parcours.slug}/index.html"]) .path-next a`);
      assert.ok(await next.isVisible(), `step ${k}: no next step on ${page.url()}`);
      await next.click();
      await page.waitForLoadState('load');
      visited.push(page.url());
    }
    assert.deepEqual(visited, steps);
    const last = page.locator(`.path-places li:has(> a[href$="parcours/${C.parcours.slug}/index.html"])`);
    assert.match(await last.textContent(), new RegExp(`étape ${steps.length} sur ${steps.length}`));
    assert.equal(await last.locator('.path-next').count(), 0, 'the last sheet has no next step');
    await page.close();
  });
});
