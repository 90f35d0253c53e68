// Probe (not a test, see docs/robustness.md): for an output folder, every sheet page at 375 px from file:// (overflow, JS errors),
// and every sheet title typed in the search page (is the sheet in the results?).
import { launchBrowser, fileUrl, htmlPages } from './helpers.mjs';
import fs from 'node:fs'; import path from 'node:path';
const out = path.resolve(process.argv[2]);
const limit = Number(process.argv[3] || 40);
const browser = await launchBrowser();
const pages = htmlPages(out).filter(p => !p.endsWith('404.html')).sort((a, b) => (a.includes('masse') - b.includes('masse')));
let n = 0;
for (const rel of pages) {
  if (n++ > limit) break;
  const page = await browser.page({ width: 375, height: 700 });
  await page.goto(fileUrl(out, rel));
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, [...document.querySelectorAll('body *')].filter(e => { const r = e.getBoundingClientRect(); return r.right > 376 && getComputedStyle(e).position !== 'fixed' && !e.closest('.table-wrap, pre, [tabindex]'); }).slice(0,3).map(e => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right))]);
  if (w[0] > 376 || page.__errors) console.log(`375px ${rel}: scrollWidth=${w[0]} ${w[1].join(' ')} ${page.__errors || ''}`);
  await page.close();
}
// search every sheet by its title
const sheets = htmlPages(out).filter(p => /^fiches\/.+\/index\.html$/.test(p) && fs.readFileSync(path.join(out, p), 'utf8').includes('class="page sheet"')).sort((a, b) => (a.includes('masse') - b.includes('masse')));
const page = await browser.page();
let missing = 0, tried = 0;
for (const rel of sheets.slice(0, limit)) {
  const html = fs.readFileSync(path.join(out, rel), 'utf8');
  const m = html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/); if (!m) continue;
  const title = m[1].replace(/<[^>]+>/g, '').replace(/&amp;/g,'&').replace(/&lt;/g,'<').replace(/&gt;/g,'>').replace(/&quot;/g,'"').replace(/&#39;/g,"'").replace(/&#x27;/g,"'").trim();
  if (html.includes('noindex')) continue;
  tried++;
  await page.goto(fileUrl(out, 'recherche/index.html') + '?q=' + encodeURIComponent(title));
  try { await page.waitForSelector('#search-results li', { timeout: 8000 }); } catch {}
  const res = await page.evaluate(() => [...document.querySelectorAll('#search-results li a')].slice(0, 5).map(a => a.getAttribute('href')));
  const want = rel.replace(/index\.html$/, '');
  if (!res.some(h => h && h.includes(want))) { missing++; console.log(`SEARCH "${title}" -> ${rel} not in top 5: ${res.join(' ')}`); }
}
console.log(`${Math.min(n, pages.length)} pages at 375px, ${tried} titles searched, ${missing} not found; errors: ${page.__errors || 'none'}`);
await browser.close();
