// First-load benchmark: `npm run bench:client [-- --baseline REF] [--runs N] [--pages a,b]`.
//
// Builds the client of this working tree and of a baseline commit (default HEAD~1; the
// commit's own tree from `git archive`, built with its own config into a temp folder) and
// serves each with its own production server (server/main.ts, a child process on an
// ephemeral loopback port, temporary data). Then Lighthouse 12.2.3 (pinned: later versions
// need Node 22) runs in Debian's Chromium (/usr/bin/chromium) on the first screen, the
// campaign, a game and a notebook, with the mobile preset (slow 4G, 4× CPU slowdown,
// simulated) and the desktop preset, alternating baseline and current so both see the same
// machine load. Printed per page and preset: performance and accessibility scores, first
// contentful paint, largest contentful paint, time to interactive, total blocking time, and
// the JavaScript and total bytes sent (compressed). With --runs N each figure is the median.
// Then, for this tree on mobile, where the main thread's time went (the top kinds of work
// and the scripts that ran longest).
// Figures only: nothing here asserts. The goals (mobile performance ≥ 0.95, FCP ≤ 1.8 s,
// first-screen JavaScript ≤ 150 kB compressed, accessibility 1.0) are printed beside them.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig, type Flags, type RunnerResult } from 'lighthouse';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-features=LocalNetworkAccessChecks'];

const PAGES: Record<string, string> = {
  first: '/',
  campaign: '/#/campaign',
  game: '/#/play/rfc-v1/pgtable-heavy/scheduler',
  notebook: '/#/notebook/bench-notebook',
};

const { values: opts } = parseArgs({
  options: {
    baseline: { type: 'string', default: 'HEAD~1' },
    runs: { type: 'string', default: '1' },
    pages: { type: 'string', default: Object.keys(PAGES).join(',') },
  },
});
const runs = Math.max(1, Number(opts.runs));
const pages = opts.pages!.split(',').filter((p) => p in PAGES);

function sh(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}`);
}

/** A copy of the baseline commit's tree with this checkout's node_modules, its client built. */
function baselineTree(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'reaplab-bench-client-'));
  const rev = spawnSync('git', ['rev-parse', '--short', ref], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  if (!rev) throw new Error(`no such commit: ${ref}`);
  process.stdout.write(`baseline ${ref} (${rev}): building its client in ${dir}\n`);
  const archive = spawnSync('git', ['archive', '--format=tar', rev], { cwd: ROOT, maxBuffer: 1 << 30 });
  const tar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (archive.status !== 0 || tar.status !== 0) throw new Error('git archive failed');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  sh(join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', 'client/vite.config.ts', '--logLevel', 'error'], dir);
  return dir;
}

interface Served { url: string; child: ChildProcess; data: string }

/** Starts `root`'s own production server on an ephemeral loopback port. */
function serve(root: string): Promise<Served> {
  const data = mkdtempSync(join(tmpdir(), 'reaplab-bench-data-'));
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts'], {
    cwd: root, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REAPLAB_DATA: data }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) ok({ url: `http://127.0.0.1:${m[1]}`, child, data });
    });
    child.once('exit', (code) => fail(new Error(`server in ${root} exited (${code}) before it was ready`)));
  });
}

interface Figures { perf: number; a11y: number; fcp: number; lcp: number; tti: number; tbt: number; js: number; bytes: number; where: string }

type Items<T> = { items?: T[] } | undefined;

/** Where the main thread's time went (Lighthouse's breakdown, throttled): the top kinds of work and scripts. */
function whereTimeGoes(lhr: RunnerResult['lhr']): string {
  const work = ((lhr.audits['mainthread-work-breakdown']?.details as Items<{ groupLabel?: string; duration?: number }>)?.items ?? [])
    .sort((a, b) => (b.duration ?? 0) - (a.duration ?? 0)).slice(0, 3)
    .map((i) => `${i.groupLabel ?? '?'} ${Math.round(i.duration ?? 0)} ms`);
  const scripts = ((lhr.audits['bootup-time']?.details as Items<{ url?: string; scripting?: number; scriptParseCompile?: number }>)?.items ?? [])
    .sort((a, b) => (b.scripting ?? 0) - (a.scripting ?? 0)).slice(0, 3)
    .map((i) => `${(i.url ?? '?').replace(/^.*\//, '')} ${Math.round(i.scripting ?? 0)} ms run + ${Math.round(i.scriptParseCompile ?? 0)} ms compile`);
  return `main thread: ${work.join(', ')}; scripts: ${scripts.join(', ')}`;
}

function figures(r: RunnerResult): Figures {
  const lhr = r.lhr;
  const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const items = (lhr.audits['network-requests']?.details as { items?: { resourceType?: string; transferSize?: number }[] } | undefined)?.items ?? [];
  return {
    perf: lhr.categories.performance?.score ?? Number.NaN,
    a11y: lhr.categories.accessibility?.score ?? Number.NaN,
    fcp: audit('first-contentful-paint'),
    lcp: audit('largest-contentful-paint'),
    tti: audit('interactive'),
    tbt: audit('total-blocking-time'),
    js: items.filter((i) => i.resourceType === 'Script').reduce((n, i) => n + (i.transferSize ?? 0), 0),
    bytes: audit('total-byte-weight'),
    where: whereTimeGoes(lhr),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** One Lighthouse run; a run that fails (a busy machine can time the protocol out) is tried twice more, then left out. */
async function audit(port: number, url: string, preset: 'mobile' | 'desktop'): Promise<Figures | null> {
  const flags: Flags = { port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'], maxWaitForLoad: 90_000 };
  for (let attempt = 1; attempt <= 3; attempt++) {
    const r = await lighthouse(url, flags, preset === 'desktop' ? desktopConfig : undefined);
    const problem = !r ? 'no result' : r.lhr.runtimeError?.message;
    if (r && !problem) return figures(r);
    process.stdout.write(`  ${url} (${preset}) attempt ${attempt} failed: ${problem}\n`);
  }
  return null;
}

const row = (cells: string[], widths: number[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');

async function main(): Promise<void> {
  process.stdout.write('current: building this working tree\'s client\n');
  sh(join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', 'client/vite.config.ts', '--logLevel', 'error'], ROOT);
  const base = baselineTree(opts.baseline!);
  const builds = { baseline: await serve(base), current: await serve(ROOT) };
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS });
  const results = new Map<string, Figures[]>();
  try {
    for (let i = 0; i < runs; i++) {
      for (const page of pages) {
        for (const preset of ['mobile', 'desktop'] as const) {
          for (const which of ['baseline', 'current'] as const) {
            const key = `${page}|${preset}|${which}`;
            const f = await audit(chrome.port, builds[which].url + PAGES[page], preset);
            if (!f) continue;
            results.set(key, [...(results.get(key) ?? []), f]);
            process.stdout.write(`  ${key}: performance ${f.perf.toFixed(2)} (load ${load()})\n`);
          }
        }
      }
    }
  } finally {
    chrome.kill();
    for (const b of Object.values(builds)) {
      b.child.kill('SIGTERM');
      await new Promise((r) => b.child.once('exit', r));
      rmSync(b.data, { recursive: true, force: true });
    }
    rmSync(base, { recursive: true, force: true });
  }

  const widths = [9, 8, 9, 5, 5, 7, 7, 7, 7, 8, 9];
  const lines = [row(['page', 'preset', 'build', 'perf', 'a11y', 'FCP s', 'LCP s', 'TTI s', 'TBT ms', 'JS kB', 'total kB'], widths)];
  for (const page of pages) {
    for (const preset of ['mobile', 'desktop'] as const) {
      for (const which of ['baseline', 'current'] as const) {
        const fs = results.get(`${page}|${preset}|${which}`) ?? [];
        const m = (k: Exclude<keyof Figures, 'where'>) => (fs.length ? median(fs.map((f) => f[k])) : Number.NaN);
        lines.push(row([page, preset, which === 'baseline' ? `${opts.baseline}` : 'this tree',
          m('perf').toFixed(2), m('a11y').toFixed(2), (m('fcp') / 1000).toFixed(2), (m('lcp') / 1000).toFixed(2), (m('tti') / 1000).toFixed(2),
          m('tbt').toFixed(0), (m('js') / 1000).toFixed(1), (m('bytes') / 1000).toFixed(1)], widths));
      }
    }
  }
  process.stdout.write(`\n${cpus().length} CPUs, load at the end ${load()} (Lighthouse simulates the throttling from what it observed, so a busy machine lowers the scores)\n`);
  process.stdout.write(`Lighthouse 12.2.3, ${CHROMIUM}, ${runs === 1 ? 'one run' : `median of ${runs} runs`} per cell (simulated throttling)\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write('goals: mobile perf ≥ 0.95, FCP ≤ 1.8 s, first-screen JS ≤ 150 kB compressed, accessibility 1.00\n');
  process.stdout.write('\nwhere the time goes, this tree, mobile (last run):\n');
  for (const page of pages) process.stdout.write(`  ${page}: ${results.get(`${page}|mobile|current`)?.at(-1)?.where ?? 'no run'}\n`);
}

if (!existsSync(CHROMIUM)) {
  process.stderr.write(`bench:client needs Chromium at ${CHROMIUM} (or CHROMIUM_PATH)\n`);
  process.exit(1);
}
mkdirSync(join(ROOT, 'dist'), { recursive: true });
await main();
