// What a user typing in the search page waits for, end to end, in Chromium
// from file:// (issue 14): search.js itself is driven (real key events, its
// 90 ms wait, its prefetch, its rendering), not the engine's entry points.
//
//   node bench/typing.mjs <built-site> <queries.json> [--delay MS] [--throttle N] [--sites A,B --rounds N] [--detail FILE]
//
// Each query is typed one key every MS milliseconds (default 300: every
// prefix gets its results) on a fresh search page. Per key:
//   - `wait`: from the key (its keydown's timeStamp) to the last change of
//     the results (list, then snippets) before the next key — what the user
//     waits for, search.js's 90 ms wait included; a key whose results did
//     not change before the next one counts the whole interval;
//   - `delay`: the key's input delay (Event Timing: processingStart −
//     startTime of keydown/keypress/input), i.e. how long the page kept the
//     key waiting because the main thread was busy (jank);
// and per run the long tasks (> 50 ms) while typing: count, sum and max.
// --throttle N slows the page's CPU N times (CDP's
// Emulation.setCPUThrottlingRate) while typing, for a phone (4 to 6 times
// slower than a laptop): the page loads at full speed, the keys do not.
// Prints one JSON line per run (and the medians per site with --sites).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandLine, median as med, pct, runAlternated } from './chromium_runs.mjs';

const cli = commandLine(process.argv.slice(2));
const delay = Number(cli.opt('--delay') || 300);
const throttle = Number(cli.opt('--throttle') || 1);
const { sites, queries } = cli.positional();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function run(browser, site) {
  const url = pathToFileURL(path.join(path.resolve(site), 'recherche', 'index.html')).href;
  const keys = [], long = [];
  for (const q of queries) {
    const page = await browser.page();
    await page.goto(url);
    await page.evaluate(() => {
      const K = (window.__typing = { keys: [], muts: [], events: [], long: [] });
      document.addEventListener('keydown', (e) => K.keys.push(e.timeStamp), true);
      new MutationObserver(() => K.muts.push(performance.now()))
        .observe(document.getElementById('search-results'), { childList: true, subtree: true, characterData: true });
      new PerformanceObserver((l) => l.getEntries().forEach((e) => {
        if (/^(keydown|keypress|input)$/.test(e.name)) K.events.push([e.startTime, e.processingStart - e.startTime]);
      })).observe({ type: 'event', durationThreshold: 16, buffered: true });
      new PerformanceObserver((l) => l.getEntries().forEach((e) => K.long.push([e.startTime, e.duration])))
        .observe({ type: 'longtask' });
    });
    await page.focus('#search-input');
    // The engine and manifest load on focus, as for a user who clicks the box.
    await page.waitForFunction(() => !!(window.__fichesSearch && window.__fichesSearch.engine), null, { timeout: 15000 });
    await page.evaluate(() => window.__fichesSearch.engine.ready());
    await sleep(200);
    if (throttle > 1) await (await browser.context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.evaluate(() => { window.__typing.long.length = 0; window.__typing.events.length = 0; });
    for (const ch of q) {
      const t = Date.now();
      await page.keyboard.type(ch);
      await sleep(Math.max(0, delay - (Date.now() - t)));
    }
    // Until the results stop changing (1.5 s without a change).
    for (let last = -1; ;) {
      await sleep(1500);
      const n = await page.evaluate(() => window.__typing.muts.length);
      if (n === last) break;
      last = n;
    }
    const K = await page.evaluate(() => window.__typing);
    K.keys.forEach((t0, i) => {
      const t1 = i + 1 < K.keys.length ? K.keys[i + 1] : Infinity;
      const m = K.muts.filter((x) => x > t0 && x < t1);
      const ev = K.events.filter((e) => e[0] >= t0 - 1 && e[0] < t1);
      keys.push({
        prefix: q.slice(0, i + 1),
        wait: m.length ? m[m.length - 1] - t0 : (isFinite(t1) ? t1 - t0 : null),
        settled: m.length > 0,
        delay: ev.reduce((a, e) => Math.max(a, e[1]), 0),
      });
    });
    long.push(...K.long.map((l) => l[1]));
    await page.close();
  }
  const waits = keys.filter((k) => k.wait !== null).map((k) => k.wait), delays = keys.map((k) => k.delay);
  return {
    site, delay_between_keys: delay, throttle, keystrokes: keys.length,
    wait_ms_median: pct(waits, 0.5), wait_ms_p90: pct(waits, 0.9), wait_ms_max: pct(waits, 1),
    unsettled: keys.filter((k) => !k.settled).length,
    input_delay_ms_p90: pct(delays, 0.9), input_delay_ms_max: pct(delays, 1),
    keys_delayed_over_16ms: delays.filter((d) => d > 16).length,
    long_tasks: long.length, long_tasks_ms_sum: long.reduce((a, b) => a + b, 0), long_task_ms_max: pct(long, 1),
    keys,
  };
}

const FIELDS = ['wait_ms_median', 'wait_ms_p90', 'wait_ms_max', 'input_delay_ms_p90', 'input_delay_ms_max', 'keys_delayed_over_16ms', 'long_tasks', 'long_tasks_ms_sum', 'long_task_ms_max'];
await runAlternated(cli, sites, run, (mine) => {
  const o = { runs: mine.length };
  for (const k of FIELDS) o[k] = med(mine.map((r) => r[k]));
  return o;
});
