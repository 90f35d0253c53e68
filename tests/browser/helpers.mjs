// Shared helpers of the browser tests: build a site with the real `fiches`
// binary into a temporary folder, serve it with Debian's nginx under a
// sub-path, drive Debian's Chromium with playwright-core, crawl links.
//
// Environment:
//   FICHES_BIN     the fiches executable (default: target/release/fiches)
//   FICHES_SHARED  the shared folder holding corpus/ (default: ../shared);
//                  its corpus is tested too when present
//   CHROMIUM       the browser (default: /usr/bin/chromium)
//   NGINX          the web server (default: nginx on PATH, else /usr/sbin/nginx)
// Nothing is downloaded: the browser and the server are the system's.

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { describe, before, after } from 'node:test';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const REPO = path.resolve(here, '..', '..');
export const SHARED = process.env.FICHES_SHARED ? path.resolve(process.env.FICHES_SHARED) : path.resolve(REPO, '..', 'shared');
export const BIN = path.resolve(REPO, process.env.FICHES_BIN || 'target/release/fiches');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS = path.join(REPO, 'target', 'screenshots');

/**
 * The corpora the tests run on, with the facts of
 * tests/fixtures/corpora.json: this repository's site (tests/fixtures/lycee)
 * always, and the shared corpus when present (else a printed note: its
 * variant is skipped, not failed). Each has `name`, `root`, `prefix` (its
 * base-url) and `pages` (one page of each type, paths from the site root).
 */
function loadCorpora() {
  const facts = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'fixtures', 'corpora.json'), 'utf8'));
  const out = [];
  for (const name of ['lycee', 'college']) {
    const f = facts[name];
    let base = REPO;
    if (f.origin === 'shared') {
      if (!fs.existsSync(path.join(SHARED, 'corpus'))) {
        console.log(`note: shared corpus not found at ${SHARED} (set FICHES_SHARED): its variant of the browser tests is skipped`);
        continue;
      }
      base = SHARED;
    }
    let root = path.join(base, f.root);
    if (!fs.existsSync(root)) throw new Error(`corpus ${name}: ${root} is missing`);
    // The shared corpus predates `booklet = true`: a copy asks for every booklet.
    if (f.origin === 'shared') root = copySite(root, (toml) => `${toml}\n[print]\nbooklets = "all"\n`);
    out.push({
      ...f,
      name,
      root,
      prefix: f.base_url,
      pages: {
        home: 'index.html',
        'all-sheets': 'fiches/index.html',
        category: `fiches/${f.booklet.category}/index.html`,
        sheet: `fiches/${f.support.sheet}/index.html`,
        'sheet-action': `fiches/${f.sheet.id}/index.html`,
        'sheet-tasks': `fiches/${f.support.checklist}/index.html`,
        'sheet-code': `fiches/${f.code_sheet}/index.html`,
        booklet: `fiches/${f.booklet.category}/livret/index.html`,
        'apero-index': 'apero-tice/index.html',
        session: `apero-tice/${f.upcoming.slug}/index.html`,
        'path-index': 'parcours/index.html',
        path: `parcours/${f.parcours.slug}/index.html`,
        actions: 'actions/index.html',
        search: `recherche/index.html?q=${encodeURIComponent(f.search.text_query)}`,
        followup: 'suivi/index.html',
        accessibility: 'accessibilite/index.html',
        '404': 'page-qui-n-existe-pas/index.html',
      },
    });
  }
  return out;
}
export const CORPORA = loadCorpora();

/** A fresh temporary folder, removed at exit unless FICHES_KEEP_TMP is set. */
export function tempDir(name = 'fiches-browser-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), name));
  if (!process.env.FICHES_KEEP_TMP) {
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return dir;
}

/** Runs the fiches binary; throws with its stderr when it fails. */
export function fiches(args, opts = {}) {
  const r = spawnSync(BIN, args, {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FICHES_CACHE_DIR: path.join(os.tmpdir(), `fiches-browser-cache-${process.pid}`) },
    ...opts,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`fiches ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r;
}

/** Copies a site (the corpus is read-only; links stay links) and edits its book.toml. */
export function copySite(src, edit = (toml) => toml) {
  const dir = path.join(tempDir('fiches-site-'), 'site');
  fs.cpSync(src, dir, { recursive: true, verbatimSymlinks: true });
  for (const f of walk(dir)) fs.chmodSync(f, 0o644);
  const book = path.join(dir, 'book.toml');
  fs.writeFileSync(book, edit(fs.readFileSync(book, 'utf8')));
  return dir;
}

/** Builds `site` into a new temporary folder and returns the folder. */
export function buildSite(site, extra = []) {
  const out = path.join(tempDir('fiches-out-'), 'public');
  fiches(['--root', site, 'build', '--quiet', '--output', out, ...extra]);
  return out;
}

/** Every file under `dir`, as absolute paths. */
export function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** HTML pages of an output folder, as paths relative to it (`/` separators). */
export function htmlPages(out) {
  return walk(out).filter((p) => p.endsWith('.html')).map((p) => path.relative(out, p).split(path.sep).join('/')).sort();
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function nginxBin() {
  if (process.env.NGINX) return process.env.NGINX;
  for (const p of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) if (fs.existsSync(p)) return p;
  return 'nginx';
}

async function waitForPort(port, ms, proc, log) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}):\n${readIf(log)}`);
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}:\n${readIf(log)}`);
}

function readIf(f) {
  try { return fs.readFileSync(f, 'utf8'); } catch { return ''; }
}

/** The system's mime.types of nginx (Debian's). */
const MIME_TYPES = ['/etc/nginx/mime.types', '/usr/local/etc/nginx/mime.types'].find((p) => fs.existsSync(p));

/**
 * The nginx blocks of docs/publishing.md for a site in `root` under
 * `prefix`: the tests serve the site as a référent following that page
 * would (its `/aide-numerique/` and `/srv/fiches/public/` replaced).
 */
export function documentedNginx(prefix, root) {
  const doc = fs.readFileSync(path.join(REPO, 'docs', 'publishing.md'), 'utf8');
  const blocks = [...doc.matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length < 2) throw new Error('docs/publishing.md: the nginx blocks are missing');
  let conf = blocks.join('\n');
  // At a host's root, no address lacks its last `/`.
  if (prefix === '/') conf = conf.replace(/^\s*location = \/aide-numerique \{[^}]*\}\n/m, '');
  return conf
    .replaceAll('/aide-numerique/', prefix)
    .replaceAll('/aide-numerique', prefix.replace(/\/$/, ''))
    .replaceAll('/srv/fiches/public/', `${root}/`)
    .replaceAll('include mime.types;', `include ${MIME_TYPES};`);
}

/**
 * Serves `out` at http://127.0.0.1:PORT`prefix` with nginx, as the current
 * user (one process, no privilege change), its configuration, pid and logs
 * in a temporary folder: the system's mime.types in `http` (as Debian's
 * nginx.conf has it) and the blocks of docs/publishing.md, nothing else.
 * Unknown paths under the prefix get the site's 404.html.
 * Returns { url, port, stop(), accessLog, errorLog }.
 */
export async function startNginx(out, prefix) {
  const dir = tempDir('fiches-nginx-');
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  const errorLog = path.join(dir, 'error.log');
  const accessLog = path.join(dir, 'access.log');
  const root = fs.realpathSync(out);
  if (!MIME_TYPES) throw new Error("nginx's mime.types not found (apt-get install nginx)");
  fs.writeFileSync(conf, `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${errorLog} warn;
events { worker_connections 128; }
http {
  include ${MIME_TYPES};
  default_type application/octet-stream;
  access_log ${accessLog};
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
${documentedNginx(prefix, root)}
  }
}
`);
  const proc = spawn(nginxBin(), ['-p', dir, '-e', errorLog, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  await waitForPort(port, 10000, proc, errorLog).catch((e) => { throw new Error(`${e.message}\n${stderr}`); });
  const stop = () => new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
    setTimeout(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); }, 3000).unref();
  });
  process.on('exit', () => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
  return { url: `http://127.0.0.1:${port}${prefix}`, origin: `http://127.0.0.1:${port}`, port, stop, accessLog, errorLog };
}

/** The arguments Chromium runs with in every test: no network of its own. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--font-render-hinting=none',
];

/**
 * Launches Debian's Chromium (never a downloaded one) with a new, empty
 * user-data-dir. Returns { browser, context(opts), close() }.
 */
export async function launchBrowser() {
  const { chromium } = require('playwright-core');
  const userDataDir = tempDir('fiches-chromium-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  return {
    context,
    /** A new page with the given viewport and colour scheme. */
    async page({ width = 1280, height = 900, colorScheme = 'light', javaScriptEnabled = true } = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme, media: 'screen' });
      if (!javaScriptEnabled) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
      }
      page.on('pageerror', (e) => { page.__errors = (page.__errors || []).concat(String(e)); });
      return page;
    },
    close: () => context.close(),
  };
}

const AXE_SOURCE = () => fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let axeSource;

/**
 * Runs axe-core on the page: WCAG 2.0/2.1 A and AA rules (the RGAA's
 * basis) plus axe's best practices. Returns the violations, simplified.
 */
export async function axe(page, { tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } = {}) {
  axeSource = axeSource || AXE_SOURCE();
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ content: axeSource });
  }
  const res = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), tags);
  return res.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
  }));
}

/** Readable report of axe violations. */
export function formatViolations(list) {
  return list.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 6).join('\n  ')}`).join('\n');
}

/** Writes a screenshot to target/screenshots/NAME.png and returns its path. */
export async function screenshot(page, name, opts = {}) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, ...opts });
  return file;
}

/** Waits until the search page shows its results (search.js is there). */
/** A fresh page of the site at `base` (a folder URL) on its search page,
 * with the search engine loaded and ready. */
export async function enginePage(browser, base) {
  const page = await browser.page();
  await page.goto(`${base}recherche/index.html`);
  await page.waitForFunction(() => !!(window.__fichesSearch && window.__fichesSearch.engine), null, { timeout: 15000 });
  await page.evaluate(() => window.__fichesSearch.engine.ready());
  return page;
}

export async function waitForSearchResults(page, timeout = 10000) {
  await page.waitForSelector('#search-results li[data-id]', { timeout });
}

/**
 * One `describe` per corpus (CORPORA) whose tests share its site, built
 * once, served by nginx under the corpus's sub-path as docs/publishing.md
 * says, and one Chromium. `body(C, s)` declares the tests; when they run,
 * `s.out` (the built folder), `s.server` (startNginx's) and `s.browser`
 * (launchBrowser's) are set, and `s.open(page, rel)` loads a page of the
 * site (waiting for the results on the search page) and returns the
 * response.
 */
export function servedSuites(body, { corpora = CORPORA } = {}) {
  for (const C of corpora) {
    describe(C.name, () => {
      const s = { out: null, server: null, browser: null };
      before(async () => {
        s.out = buildSite(C.root);
        s.server = await startNginx(s.out, C.prefix);
        s.browser = await launchBrowser();
      });
      after(async () => {
        await s.browser?.close();
        await s.server?.stop();
      });
      s.open = async (page, rel) => {
        const res = await page.goto(s.server.url + rel, { waitUntil: 'load' });
        if (rel.startsWith('recherche/')) await waitForSearchResults(page);
        return res;
      };
      body(C, s);
    });
  }
}

/** `href`/`src` of links and assets in an HTML text (entity-decoded). */
export function linksOf(html) {
  const out = [];
  const re = /<(a|link|script|img|source|iframe)\b[^>]*?\s(href|src)="([^"]*)"/gi;
  let m;
  while ((m = re.exec(html))) out.push(m[3].replace(/&amp;/g, '&').replace(/&#x2F;/g, '/').replace(/&#39;/g, "'").replace(/&quot;/g, '"'));
  return out;
}

/** `id` attributes of an HTML text. */
export function idsOf(html) {
  const ids = new Set();
  const re = /\sid="([^"]*)"/g;
  let m;
  while ((m = re.exec(html))) ids.add(m[1]);
  return ids;
}

/**
 * Crawls a site over HTTP from `start`: every link and asset of every page
 * reached (same origin, under `prefix`), plus every file of `out` when
 * given. Returns { pages, checked, broken: ["status url (from page)"] }.
 */
export async function crawlHttp(start, { prefix, out = null } = {}) {
  const origin = new URL(start).origin;
  const seen = new Map();
  const queue = [[start, '(start)']];
  const broken = [];
  let pages = 0;
  const base = (u) => { const x = new URL(u); x.hash = ''; return x.href; };
  if (out) {
    for (const f of walk(out)) {
      const rel = path.relative(out, f).split(path.sep).map(encodeURIComponent).join('/');
      queue.push([origin + prefix + rel, '(file list)']);
    }
  }
  while (queue.length) {
    const [url, from] = queue.shift();
    const key = base(url);
    if (seen.has(key)) continue;
    seen.set(key, true);
    const res = await fetch(key, { redirect: 'follow' });
    const ct = res.headers.get('content-type') || '';
    if (res.status !== 200) { broken.push(`${res.status} ${key} (from ${from})`); await res.arrayBuffer(); continue; }
    if (!ct.startsWith('text/html')) { await res.arrayBuffer(); continue; }
    pages += 1;
    const html = await res.text();
    for (const l of linksOf(html)) {
      if (!l || l.startsWith('mailto:') || l.startsWith('tel:') || l.startsWith('data:') || l.startsWith('#')) continue;
      const abs = new URL(l, key);
      if (abs.origin !== origin) continue;
      if (!abs.pathname.startsWith(prefix)) { broken.push(`outside ${prefix}: ${abs.href} (from ${key})`); continue; }
      queue.push([abs.href, key]);
    }
  }
  return { pages, checked: seen.size, broken };
}

/** A file:// URL for a path of an output folder. */
export function fileUrl(out, rel = 'index.html') {
  return pathToFileURL(path.join(out, rel)).href;
}

/** Runs a command, returns stdout; throws with stderr on failure. */
export function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}
