// Checks lesson files: the format (errors as file:line:col: message), then the explorer's
// findings against each lesson's expectations.
//   npm run -s lessons:check                       the whole campaign
//   npm run -s lessons:check -- path.yaml [...]    some files (or directories)
//   npm run -s lessons:check -- --quiet ...        errors and one line per lesson only
// Exit status: 0 when every lesson is valid and every expectation holds, 1 otherwise,
// 2 on a usage error.

import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { OUTCOMES } from '../engine/index.js';
import { isKnownSource } from '../lessons/known-sources.js';
import { CAMPAIGN_DIR, crossFileErrors, loadCampaign, loadLessonFile, type LoadedLesson } from '../lessons/load.js';
import { formatLessonError, type LessonError } from '../lessons/parse.js';
import { verifyLesson, type LessonVerdict } from '../lessons/verify.js';

const USAGE = 'usage: npm run -s lessons:check -- [--quiet] [lesson.yaml | directory ...]';

function args() {
  try {
    return parseArgs({ allowPositionals: true, options: { quiet: { type: 'boolean', short: 'q' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

/** Lesson files named on the command line (directories expand to their .yaml files). */
function targets(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // a missing file is reported by loadLessonFile
    }
    if (isDir) out.push(...readdirSync(p).filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(p, n)));
    else out.push(p);
  }
  return out;
}

const inCampaign = (p: string) => resolve(p).startsWith(resolve(CAMPAIGN_DIR) + sep) || resolve(p) === resolve(CAMPAIGN_DIR);

function summary(f: LoadedLesson, v: LessonVerdict, quiet: boolean): string {
  const l = f.lesson;
  const head = `${f.file}: ${v.ok ? 'expectations hold' : 'EXPECTATIONS FAIL'} — ${l.id}, ${v.scenario.variant} × ${v.scenario.config.id}, ${v.result.states} states; goal: ${l.goal.kind} ${l.goal.outcome}`;
  if (quiet) return head;
  const rows = [head, `  ${'outcome'.padEnd(22)}${'expected'.padEnd(22)}explorer`];
  for (const c of v.checks) {
    const expected = c.expected ? `${c.expected}${c.expectedSteps !== null ? `, ${c.expectedSteps} steps` : ''}` : '-';
    const found = c.reachable ? `reachable, ${c.steps} steps` : v.result.complete ? 'unreachable' : 'not found (search incomplete)';
    const mark = c.ok ? (c.expected ? 'ok' : '') : 'MISMATCH';
    const goal = c.outcome === l.goal.outcome ? ' (goal)' : '';
    rows.push(`  ${(c.outcome + goal).padEnd(22)}${expected.padEnd(22)}${found.padEnd(30)}${mark}`.trimEnd());
  }
  if (v.solo) {
    const win = v.solo.result.shortest;
    const through = v.solo.hinted.length ? (v.solo.result.shortestThrough ? `, ${v.solo.result.shortestThrough.steps} through the ${v.solo.hinted.length} hinted steps` : ', not through the hinted steps') : ', no hinted steps';
    rows.push(`  solo game: playing ${v.solo.seat}, ${win ? `a shortest win takes ${win.steps} steps${through}` : 'no win'} (${v.solo.result.states} states)`);
  }
  return rows.join('\n');
}

function main(): void {
  const { values, positionals } = args();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const quiet = values.quiet ?? false;
  const errors: LessonError[] = [];
  const warnings: LessonError[] = [];
  let files: LoadedLesson[];
  let total = 0;

  if (positionals.length === 0) {
    const c = loadCampaign();
    errors.push(...c.errors);
    files = c.files;
    total = new Set([...c.files.map((f) => f.file), ...c.errors.map((e) => e.file)]).size;
  } else {
    files = [];
    const wanted = targets(positionals);
    total = wanted.length;
    for (const p of wanted) {
      const r = loadLessonFile(p);
      if (r.ok) files.push({ file: r.file, lesson: r.lesson, positions: r.positions });
      else errors.push(...r.errors);
    }
    // files of the campaign must also fit in with the rest of it
    const campaignFiles = wanted.filter(inCampaign);
    if (campaignFiles.length) {
      const mine = new Set(files.filter((f) => campaignFiles.some((p) => resolve(p) === resolve(f.file))).map((f) => f.file));
      const others = loadCampaign().files.filter((f) => !files.some((g) => resolve(g.file) === resolve(f.file)));
      errors.push(...crossFileErrors([...others, ...files.filter((f) => mine.has(f.file))], { namesMatch: true }).filter((e) => mine.has(e.file)));
    }
  }

  const out: string[] = [];
  let failed = errors.length > 0;
  for (const f of files) {
    f.lesson.sources.forEach((s, i) => {
      if (isKnownSource(s.kind, s.id)) return;
      const p = f.positions[`sources[${i}].id`] ?? { line: 1, col: 1 };
      warnings.push({ file: f.file, ...p, path: `sources[${i}].id`, message: `warning: sources[${i}].id: ${s.kind} ${s.id} is not in lessons/known-sources.ts; check it against a primary source and add it there (the campaign test requires it)` });
    });
    const v = verifyLesson(f.lesson, { file: f.file, positions: f.positions });
    errors.push(...v.problems);
    if (!v.ok) failed = true;
    out.push(summary(f, v, quiet));
  }

  const lines = [...errors, ...warnings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col).map(formatLessonError);
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n${out.length ? '\n' : ''}`);
  if (out.length) process.stdout.write(`${out.join(quiet ? '\n' : '\n\n')}\n`);
  const nErr = errors.length;
  const invalid = total - files.length;
  const checked = `${files.length} lesson${files.length === 1 ? '' : 's'} checked against the explorer (${OUTCOMES.length} outcomes each)${invalid > 0 ? `, ${invalid} file${invalid === 1 ? '' : 's'} not valid` : ''}`;
  process.stdout.write(`\n${checked}: ${nErr ? `${nErr} error${nErr === 1 ? '' : 's'}` : 'all expectations hold'}${warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}.\n`);
  process.exitCode = failed ? 1 : 0;
}

main();
