// What bench/keystroke.mjs and bench/typing.mjs share: their command line
// (<built-site> <queries.json>, or --sites A,B --rounds N; --detail FILE),
// the runs alternated in one browser, percentiles, and what they print.
import fs from 'node:fs';
import { launchBrowser } from '../tests/browser/helpers.mjs';

/// Parses argv; `opt(name)` of each extra option must be called before
/// `positional()` reads what is left.
export function commandLine(argv) {
  const args = argv.slice();
  const opt = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return null;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const detailFile = opt('--detail');
  const sitesArg = opt('--sites');
  const rounds = Number(opt('--rounds') || 1);
  const positional = () => {
    const [siteArg, queriesFile] = sitesArg ? [null, args[0]] : args;
    const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8')).map((q) => (typeof q === 'string' ? q : q.q));
    return { sites: sitesArg ? sitesArg.split(',') : [siteArg], queries };
  };
  return { opt, positional, detailFile, alternated: !!sitesArg, rounds };
}

export function pct(a, p) {
  const s = a.slice().sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : 0;
}

// With an even number of runs, the mean of the two middle ones (the lower
// one alone made 2 runs report their minimum).
export function median(a) {
  const s = a.slice().sort((x, y) => x - y), h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/// Runs `run(browser, site)` for each site, `rounds` times alternated (A B
/// A B …) in one browser; writes the detail (each run's `keys`), prints
/// one JSON line per run and, with --sites, `summary(runsOfOneSite)` per
/// site under `alternated`.
export async function runAlternated(cli, sites, run, summary) {
  const browser = await launchBrowser();
  const runs = [];
  try {
    for (let r = 0; r < cli.rounds; r++) for (const s of sites) runs.push(await run(browser, s));
  } finally {
    await browser.close();
  }
  if (cli.detailFile) fs.writeFileSync(cli.detailFile, JSON.stringify(runs.map((r) => ({ site: r.site, keys: r.keys }))));
  for (const r of runs) {
    const { keys, ...line } = r;
    if (!cli.alternated) delete line.site;
    console.log(JSON.stringify(line));
  }
  if (cli.alternated) {
    const by = {};
    for (const s of sites) by[s] = summary(runs.filter((r) => r.site === s));
    console.log(JSON.stringify({ alternated: by }));
  }
}
