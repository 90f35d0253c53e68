// What the main thread's long tasks hold while typing (issue 14), in
// Chromium from file://: types the queries as bench/typing.mjs does (one
// key every --delay ms on a fresh search page, --throttle N), records a
// trace (devtools.timeline and V8's sampling profiler) and prints, per
// task over 50 ms, its length and where its time went: the trace events
// under it (script evaluation, layout, style, paint, GC …) and the
// JavaScript functions sampled in it (self time, by name and file).
//
//   node bench/trace_typing.mjs <built-site> <queries.json> [--delay MS] [--throttle N] [--json FILE]
//
// An unminified engine (the theme's source copied over the site's
// assets/search-engine.js) gives readable function names.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandLine } from './chromium_runs.mjs';
import { launchBrowser } from '../tests/browser/helpers.mjs';

const cli = commandLine(process.argv.slice(2));
const delay = Number(cli.opt('--delay') || 150);
const throttle = Number(cli.opt('--throttle') || 1);
const jsonOut = cli.opt('--json');
const { sites, queries } = cli.positional();
const site = sites[0];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CATS = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'toplevel',
  'disabled-by-default-v8.cpu_profiler', 'blink', 'v8'].join(',');

const browser = await launchBrowser();
const url = pathToFileURL(path.join(path.resolve(site), 'recherche', 'index.html')).href;
const report = [];
try {
  for (const q of queries) {
    const page = await browser.page();
    await page.goto(url);
    await page.focus('#search-input');
    await page.waitForFunction(() => !!(window.__fichesSearch && window.__fichesSearch.engine), null, { timeout: 15000 });
    await page.evaluate(() => window.__fichesSearch.engine.ready());
    await sleep(200);
    const cdp = await browser.context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { categories: CATS, transferMode: 'ReportEvents' });
    if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    for (const ch of q) {
      const t = Date.now();
      await page.keyboard.type(ch);
      await sleep(Math.max(0, delay - (Date.now() - t)));
    }
    await sleep(1500);
    await cdp.send('Tracing.end');
    await done;
    report.push(...analyse(q, events));
    await page.close();
  }
} finally {
  await browser.close();
}

function analyse(q, events) {
  // The renderer's main thread: where the RunTask events of the page are.
  const names = events.filter((e) => e.name === 'thread_name' && e.args && e.args.name === 'CrRendererMain');
  const mains = new Set(names.map((e) => e.pid + ':' + e.tid));
  const onMain = (e) => mains.has(e.pid + ':' + e.tid);
  const tasks = events.filter((e) => onMain(e) && e.ph === 'X' && e.name === 'RunTask' && e.dur > 50000);
  const complete = events.filter((e) => onMain(e) && e.ph === 'X' && e.name !== 'RunTask');
  // V8's samples: ProfileChunk events carry nodes and samples with time deltas.
  const nodes = new Map(), samples = [];
  for (const e of events.filter((e) => e.name === 'Profile' || e.name === 'ProfileChunk')) {
    const d = e.args && e.args.data;
    if (!d) continue;
    if (d.startTime !== undefined) samples.t = d.startTime;
    const c = d.cpuProfile;
    if (c && c.nodes) for (const n of c.nodes) nodes.set(n.id, n.callFrame);
    if (c && c.samples) {
      let t = samples.t || 0;
      c.samples.forEach((s, i) => { t += (d.timeDeltas || [])[i] || 0; samples.push([t, s]); });
      samples.t = t;
    }
  }
  return tasks.map((t) => {
    const end = t.ts + t.dur, by = {};
    for (const e of complete) {
      if (e.ts < t.ts || e.ts + (e.dur || 0) > end) continue;
      const k = e.name === 'EvaluateScript' ? 'EvaluateScript ' + path.basename(((e.args.data || {}).url || '').split('?')[0]) : e.name;
      if (/^(FunctionCall|EvaluateScript|v8\.compile|v8\.run|Layout|UpdateLayoutTree|Paint|PrePaint|Layerize|MajorGC|MinorGC|V8\.GC.*|ParseHTML|TimerFire|EventDispatch|RunMicrotasks|HitTest|ScheduleStyleRecalculation|UpdateLayerTree|CompositeLayers|v8\.parseOnBackground)/.test(k) || k.startsWith('EvaluateScript'))
        by[k] = (by[k] || 0) + (e.dur || 0) / 1000;
    }
    const fn = {};
    for (const [ts, id] of samples) {
      if (ts < t.ts || ts > end) continue;
      const f = nodes.get(id) || {};
      const k = (f.functionName || '(anon)') + ' ' + path.basename((f.url || '').split('?')[0]);
      fn[k] = (fn[k] || 0) + 1;
    }
    const top = (o, n) => Object.entries(o).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, Math.round(v * 10) / 10]);
    return { q, ms: Math.round(t.dur / 100) / 10, cpu_ms: t.tdur === undefined ? null : Math.round(t.tdur / 100) / 10, events: top(by, 6), samples: top(fn, 8) };
  });
}

for (const r of report) console.log(JSON.stringify(r));
console.log(JSON.stringify({ site, delay, throttle, long_tasks: report.length, ms_sum: Math.round(report.reduce((a, r) => a + r.ms, 0)),
  cpu_ms_sum: Math.round(report.reduce((a, r) => a + (r.cpu_ms || 0), 0)), over_50_cpu: report.filter((r) => r.cpu_ms > 50).length }));
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(report));
