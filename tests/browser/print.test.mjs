// Printing: Chromium's print-to-PDF of a sheet is one clean A4 page with a
// QR code that decodes (zbarimg) to the sheet's published URL; the category
// booklet starts each sheet on a new page. PDFs and PNGs are kept in
// target/screenshots/ for a person to look at.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildSite, copySite, startNginx, launchBrowser, run, fileUrl, tempDir, SCREENSHOTS, CORPORA } from './helpers.mjs';

/** The suite, run on corpus `C` (see CORPORA in helpers.mjs). */
function suite(C) {
  let server, browser, out;

  before(async () => {
    out = buildSite(C.root);
    server = await startNginx(out, C.prefix);
    browser = await launchBrowser();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Prints `rel` to target/screenshots/NAME.pdf; returns its path and page count. */
  async function printPdf(base, rel, name) {
    const page = await browser.page();
    await page.goto(base + rel, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const pdf = path.join(SCREENSHOTS, `${C.name}-${name}.pdf`);
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.close();
    const info = run('pdfinfo', [pdf]);
    return { pdf, pages: Number(info.match(/Pages:\s+(\d+)/)[1]), size: info.match(/Page size:\s+([^\n]+)/)[1] };
  }

  /** First page of a PDF as PNG at `dpi`; returns the PNG's path. */
  function toPng(pdf, dpi = 150) {
    const stem = pdf.replace(/\.pdf$/, '');
    run('pdftoppm', ['-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', pdf, stem]);
    return `${stem}.png`;
  }

  function decodeQr(png) {
    // zbarimg exits 4 when it finds no code: let the assertion say so.
    try {
      return run('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', png]).trim();
    } catch (e) {
      return `(no QR code found: ${e.status})`;
    }
  }

  test('a sheet prints on one A4 page whose QR code leads to the sheet', async () => {
    const rel = `fiches/${C.print.short}/index.html`;
    const { pdf, pages, size } = await printPdf(server.url, rel, 'print-sheet');
    assert.equal(pages, 1, 'one page to post');
    assert.match(size, /^59\d\.\d* x 841\.\d* pts \(A4\)/);
    const png = toPng(pdf);
    // Base-url is a path: the QR code holds the path of the published page.
    assert.equal(decodeQr(png), `${C.prefix}fiches/${C.print.short}/`);
    const text = run('pdftotext', ['-layout', pdf, '-']);
    assert.ok(text.replace(/\s+/g, ' ').includes(C.print.short_title), text);
    for (const chrome of ['Rechercher', 'Aller au contenu', 'Toutes les fiches', 'Ça ne marche toujours pas', 'Fiche suivante']) {
      assert.ok(!text.includes(chrome), `no "${chrome}" on paper`);
    }
  });

  test('a long sheet prints in two columns, steps whole, with the address of its links', async () => {
    const rel = `fiches/${C.print.long}/index.html`;
    const { pdf, pages } = await printPdf(server.url, rel, 'print-sheet-long');
    assert.ok(pages <= 2, `${pages} pages`);
    toPng(pdf, 100);
    const text = run('pdftotext', [pdf, '-']);
    // A link to another sheet is followed by the public address of that sheet.
    assert.ok(text.replace(/\s+/g, '').includes(`(${C.prefix}fiches/${C.print.long_link}/)`), text);
  });

  test('with a full https base-url, the QR code holds the absolute URL', async () => {
    const site = copySite(C.root, (t) => t.replace(`base-url = "${C.prefix}"`, `base-url = "${C.absolute_url}"`));
    const out2 = buildSite(site);
    const page = await browser.page();
    await page.goto(`file://${out2}/fiches/${C.print.absolute}/index.html`);
    await page.emulateMedia({ media: 'print' });
    const pdf = path.join(SCREENSHOTS, `${C.name}-print-sheet-absolute.pdf`);
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.close();
    assert.equal(decodeQr(toPng(pdf)), `${C.absolute_url}fiches/${C.print.absolute}/`);
    // From a folder, site.js gives a printed link the public address too
    // (made from the sheet's own, not written beside every link).
    const long = await browser.page();
    await long.goto(`file://${out2}/fiches/${C.print.long}/index.html`);
    const urls = await long.$$eval('.prose a[data-print-url]', (as) => as.map((a) => a.getAttribute('data-print-url')));
    await long.close();
    assert.ok(urls.includes(`${C.absolute_url}fiches/${C.print.long_link}/`), urls.join(' '));
  });

  test("a sheet's QR code, made by site.js from its address, is the qrcode crate's, module for module", async () => {
    // A booklet's codes carry the qrcode crate's modules (src/publish.rs);
    // site.js draws both kinds with one function, so equal modules give an
    // equal path.
    const page = await browser.page();
    await page.goto(server.url + C.pages.booklet);
    const codes = await page.$$eval('svg.qr-code[data-qr]', (svgs) => svgs.map((s) => [
      s.getAttribute('aria-label').split(' : ').pop(), s.querySelector('path')?.getAttribute('d')]));
    assert.ok(codes.length >= 3, `${codes.length} codes`);
    for (const [url, d] of codes) {
      assert.ok(url.startsWith(C.prefix) && d, url);
      await page.goto(server.url + url.slice(C.prefix.length) + 'index.html');
      const mine = await page.$eval('.sheet-header > figure.qr.print-only', (f) => ({
        d: f.querySelector('svg.qr-code path')?.getAttribute('d'),
        modules: f.querySelector('svg').hasAttribute('data-qr'),
        label: f.querySelector('svg').getAttribute('aria-label'),
        role: f.querySelector('svg').getAttribute('role'),
        caption: f.querySelector('figcaption').textContent,
      }));
      assert.deepEqual(mine, { d, modules: false, label: 'QR code de la fiche', role: 'img', caption: 'Scannez pour ouvrir la fiche' }, url);
    }
    await page.close();
  });

  test('a category prints as a booklet: a cover, then each sheet on a new page', async () => {
    const rel = C.pages.booklet;
    const page = await browser.page();
    await page.goto(server.url + rel);
    const titles = await page.$$eval('.booklet-sheet-title', (hs) => hs.map((h) => h.textContent.trim()));
    await page.close();
    assert.ok(titles.length >= 3, `${titles.length} sheets`);
    const { pdf, pages } = await printPdf(server.url, rel, 'print-booklet');
    assert.ok(pages >= titles.length + 1, `${pages} pages for ${titles.length} sheets and a cover`);
    toPng(pdf, 80);
    const norm = (s) => s.replace(/\s+/g, ' ').trim();
    const starts = [];
    for (let p = 1; p <= pages; p++) starts.push(norm(run('pdftotext', ['-f', String(p), '-l', String(p), pdf, '-'])));
    for (const t of titles) {
      assert.ok(starts.some((s) => s.startsWith(norm(t))), `a page starts with "${t}"`);
    }
    // Every sheet of the booklet carries its own QR code.
    const html = fs.readFileSync(path.join(out, rel), 'utf8');
    assert.equal((html.match(/class="qr-code"/g) || []).length, titles.length);
  });

  test('the category page links to its booklet', async () => {
    const page = await browser.page();
    await page.goto(server.url + C.pages.category);
    await page.click('a.booklet-link');
    assert.equal(page.url(), server.url + C.pages.booklet);
    await page.close();
  });
}

for (const C of CORPORA) describe(C.name, () => suite(C));

/** Writes a site of `files` ({ path: text }) in a fresh temporary folder and builds it; returns the output folder. */
function buildFiles(name, files) {
  const site = path.join(tempDir(`fiches-${name}-`), 'site');
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(site, f)), { recursive: true });
    fs.writeFileSync(path.join(site, f), text);
  }
  return buildSite(site);
}

/** Prints the open `page` to target/screenshots/NAME.pdf (A4), closes it; returns the PDF's text, spaces collapsed. */
async function printedText(page, name) {
  await page.emulateMedia({ media: 'print' });
  const pdf = path.join(SCREENSHOTS, `${name}.pdf`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.pdf({ path: pdf, format: 'A4' });
  await page.close();
  return run('pdftotext', [pdf, '-']).replace(/\s+/g, ' ');
}

/** Runs `body(browser)` with a browser of its own, closed after even on failure. */
async function withBrowser(body) {
  const browser = await launchBrowser();
  try {
    await body(browser);
  } finally {
    await browser.close();
  }
}

test('a folded <details> of a sheet prints unfolded, with and without JavaScript', async () => {
  // « Et si j'ai saisi dans la mauvaise période ? » with its answer folded:
  // on paper the answer must be there, since nobody can click it open.
  const out = buildFiles('details', {
    'book.toml': '[book]\ntitle = "Détails"\n',
    'content/fiches/notes/saisie.md': '+++\ntitle = "Saisir les notes"\n+++\n\nAvant.\n\n<details>\n<summary>Et si la période est fausse ?</summary>\n\nChangez la période du devoir : les notes suivent.\n</details>\n\nAprès.\n',
  });
  await withBrowser(async (browser) => {
    for (const javaScriptEnabled of [true, false]) {
      const page = await browser.page({ javaScriptEnabled });
      await page.goto(fileUrl(out, 'fiches/notes/saisie/index.html'));
      assert.equal(await page.$eval('.prose details', (d) => d.open), false, 'folded on screen');
      const text = await printedText(page, `details-${javaScriptEnabled ? 'js' : 'nojs'}`);
      assert.ok(text.includes('Changez la période du devoir'), `javascript ${javaScriptEnabled}: ${text}`);
    }
  });
});

test('an e-mail or phone link prints its address after its text, once', async () => {
  // « Écrivez au support » on a sheet posted in the staff room: paper
  // cannot be clicked, the address must be written.
  const out = buildFiles('mailto', {
    'book.toml': '[book]\ntitle = "Contacts"\n',
    'content/fiches/aide/contacts.md': '+++\ntitle = "Qui appeler"\n+++\n\n' +
      '- [Écrire au support](mailto:assistance@college.example.org?subject=Panne)\n' +
      '- [Appeler la plateforme](tel:+33123456789)\n' +
      '- [referents@college.example.org](mailto:referents@college.example.org)\n' +
      '- [01 98 76 54 32](tel:+33198765432)\n',
  });
  await withBrowser(async (browser) => {
    const page = await browser.page();
    await page.goto(fileUrl(out, 'fiches/aide/contacts/index.html'));
    const text = await printedText(page, 'print-mailto-tel');
    assert.ok(text.includes('Écrire au support (assistance@college.example.org)'), text);
    assert.ok(text.includes('Appeler la plateforme (+33123456789)'), text);
    assert.ok(!text.includes('mailto:') && !text.includes('tel:'), text);
    // A text that already says the address is not followed by it again.
    assert.equal(text.split('referents@college.example.org').length - 1, 1, text);
    assert.ok(!text.includes('(+33198765432)'), text);
  });
});
