// "Ça ne marche toujours pas ?": with [support] in book.toml, each sheet ends
// with a button that opens a pre-filled message (sheet title and URL, the
// steps ticked as done, room and equipment), with no server.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, copySite, startNginx, launchBrowser, CORPORA } from './helpers.mjs';

/** The suite, run on corpus `C` (see CORPORA in helpers.mjs). */
function suite(C) {
  const SHEET = C.pages.sheet;
  const SHEET_PATH = `${C.prefix}fiches/${C.support.sheet}/`;
  const TITLE = C.support.title;
  let server, browser;

  before(async () => {
    // The corpus has a ticket URL; this copy adds an email address and a
    // ticket template with {body}, to test both links.
    const site = copySite(C.root, (t) => t.replace(
      /\[support\][^[]*/,
      '[support]\nemail = "assistance@clg-jean-moulin.example.org"\nticket-url = "https://assistance.example.org/nouveau?titre={title}&page={url}&texte={body}"\n\n',
    ));
    server = await startNginx(buildSite(site), C.prefix);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const param = (href, name) => new URL(href).searchParams.get(name);
  const mailBody = (href) => decodeURIComponent(href.split('body=')[1] || '');

  test('the help links carry the title and URL of the sheet without JavaScript', async () => {
    const page = await browser.page({ javaScriptEnabled: false });
    await page.goto(server.url + SHEET);
    const mail = await page.getAttribute('[data-support-link="email"]', 'href');
    assert.ok(mail.startsWith('mailto:assistance@clg-jean-moulin.example.org?subject='));
    assert.equal(decodeURIComponent(mail.split('subject=')[1].split('&')[0]), TITLE);
    assert.ok(mailBody(mail).includes(SHEET_PATH), mailBody(mail));
    const ticket = await page.getAttribute('[data-support-link="ticket"]', 'href');
    assert.equal(param(ticket, 'titre'), TITLE);
    assert.equal(param(ticket, 'page'), SHEET_PATH);
    assert.equal(await page.locator('#support-room').isVisible(), false, 'fields that need JavaScript stay hidden');
    await page.close();
  });

  test('ticked steps, room and equipment go into the message', async () => {
    const page = await browser.page();
    await page.goto(server.url + SHEET);
    const steps = page.locator('.prose input.step-check');
    assert.ok((await steps.count()) >= 15, 'numbered steps are tickable');
    await steps.nth(0).check();
    await steps.nth(4).check();
    await page.fill('#support-room', 'Salle 112');
    await page.fill('#support-equipment', 'Epson EB-680');
    await page.fill('#support-details', 'Voyant orange fixe.');
    assert.match(await page.textContent('[data-support-count]'), /2 étape/);

    const mail = mailBody(await page.getAttribute('[data-support-link="email"]', 'href'));
    for (const expected of [TITLE, SHEET_PATH, 'Salle : Salle 112', 'Matériel concerné : Epson EB-680', 'Voyant orange fixe.', 'Étapes déjà faites', ...C.support.ticked]) {
      assert.ok(mail.includes(expected), `message has "${expected}":\n${mail}`);
    }
    assert.ok(!mail.includes(C.support.unticked), 'unticked steps are not listed');
    // The ticket template's {body} gets the same message.
    const ticket = await page.getAttribute('[data-support-link="ticket"]', 'href');
    assert.equal(param(ticket, 'texte'), mail);
    assert.equal(param(ticket, 'titre'), TITLE);
    // What will be sent is shown before sending.
    assert.equal((await page.textContent('[data-support-message]')).trim(), mail.trim());
    await page.close();
  });

  test('ticks survive a reload in the same tab, and the message can be copied', async () => {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const page = await browser.page();
    await page.goto(server.url + SHEET);
    await page.locator('.prose input.step-check').nth(2).check();
    await page.reload();
    assert.equal(await page.locator('.prose input.step-check').nth(2).isChecked(), true);
    await page.click('[data-support-copy]');
    await page.waitForFunction(() => document.querySelector('[data-support-status]').textContent.length > 0);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, new RegExp(`Étapes déjà faites :\\n- .*${C.support.third_step}`));
    await page.close();
  });

  test('task-list checkboxes of a checklist sheet count as steps too', async () => {
    const page = await browser.page();
    await page.goto(server.url + C.pages['sheet-tasks']);
    const tasks = page.locator('.prose input.task');
    assert.ok((await tasks.count()) > 0);
    await tasks.first().check();
    const mail = mailBody(await page.getAttribute('[data-support-link="email"]', 'href'));
    const label = (await page.locator('.prose input.task').first().evaluate((b) => b.closest('li').textContent)).replace(/\s+/g, ' ').trim();
    assert.ok(mail.includes(label.slice(0, 40)), `${label} in\n${mail}`);
    await page.close();
  });

  test('a site without [support] shows no help section', async () => {
    const site = copySite(C.root, (t) => t.replace(/\[support\][^[]*/, ''));
    const srv = await startNginx(buildSite(site), C.prefix);
    const page = await browser.page();
    await page.goto(srv.url + SHEET);
    assert.equal(await page.locator('[data-support]').count(), 0);
    await page.close();
    await srv.stop();
  });
}

for (const C of CORPORA) describe(C.name, () => suite(C));
