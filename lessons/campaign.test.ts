// The campaign as a whole: it loads without errors, it walks through the history, and
// every expectation a lesson declares is checked against the explorer. A lesson whose
// expectation does not hold fails here, with the line of the expectation.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explore, OUTCOMES, VARIANT_IDS } from '../engine/index.js';
import { isKnownSource } from './known-sources.js';
import { CAMPAIGN_DIR, crossFileErrors, loadCampaign, type LoadedLesson } from './load.js';
import { formatLessonError, lessonScenario, parseLesson } from './parse.js';
import type { Lesson } from './schema.js';
import { verifyLesson } from './verify.js';

const campaign = loadCampaign();
const byId = (id: string): LoadedLesson => {
  const f = campaign.files.find((x) => x.lesson.id === id);
  if (!f) throw new Error(`the campaign has no lesson "${id}"`);
  return f;
};

describe('the campaign loads', () => {
  it('has no errors', () => {
    expect(campaign.errors.map(formatLessonError)).toEqual([]);
  });

  it('has at least 16 lessons, sorted by order, with unique ids and orders', () => {
    expect(campaign.lessons.length).toBeGreaterThanOrEqual(16);
    const orders = campaign.lessons.map((l) => l.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(new Set(orders).size).toBe(orders.length);
    expect(new Set(campaign.lessons.map((l) => l.id)).size).toBe(campaign.lessons.length);
  });

  it('starts with the tutorial and visits every variant of the history', () => {
    expect(campaign.lessons[0]!.id).toBe('tutorial');
    const variants = new Set(campaign.lessons.map((l) => l.variant));
    for (const v of VARIANT_IDS) expect(variants, `no lesson plays ${v}`).toContain(v);
  });

  it('cites only sources the team has verified', () => {
    for (const l of campaign.lessons) {
      for (const s of l.sources) expect(isKnownSource(s.kind, s.id), `${l.id} cites unknown ${s.kind} ${s.id}`).toBe(true);
    }
  });

  it('declares every outcome, and the shortest length of every hunt goal', () => {
    for (const l of campaign.lessons) {
      const declared = [...l.expect.reachable, ...l.expect.unreachable].sort();
      expect(declared, `${l.id} leaves an outcome undeclared`).toEqual([...OUTCOMES].sort());
      if (l.goal.kind === 'hunt') expect(l.expect.shortest?.[l.goal.outcome], `${l.id} gives no shortest length for its goal`).toBeTypeOf('number');
    }
  });
});

describe.each(campaign.files.map((f) => [f.lesson.id, f] as const))('lesson %s', (_id, f) => {
  const verdict = verifyLesson(f.lesson, { file: f.file, positions: f.positions });

  it('is searched completely by the explorer', () => {
    expect(verdict.result.complete).toBe(true);
  });

  it('holds every declared expectation', () => {
    expect(verdict.problems.map(formatLessonError)).toEqual([]);
  });

  it('has a goal the explorer agrees with', () => {
    const goal = verdict.checks.find((c) => c.outcome === f.lesson.goal.outcome)!;
    if (f.lesson.goal.kind === 'hunt') expect(goal.reachable, 'a hunt goal must be reachable').toBe(true);
    else expect(goal.expected, 'an avoid goal must be declared').not.toBeNull();
    // an avoid goal needs a way to win: a run that ends without the outcome
    if (f.lesson.goal.kind === 'avoid') expect(verdict.result.outcomes.success.reachable).toBe(true);
  });
});

describe('the campaign keeps the history straight', () => {
  const expects = (id: string) => byId(id).lesson.expect;
  it('v4.14 can oops on munlock; v4.19 cannot, but kills needlessly', () => {
    expect(expects('v414-munlock-race').reachable).toContain('oops');
    expect(byId('v419-mlock-kill').lesson).toMatchObject({ variant: 'v4.19', config: 'mlocked' });
    expect(expects('v419-mlock-kill').unreachable).toContain('oops');
    expect(expects('v419-mlock-kill').reachable).toContain('needless_kill');
    expect(expects('v419-pgtable-kill').reachable).toContain('needless_kill');
  });
  it('the RFC crashes, then crashes on ppc hugetlb, then locks up on close; rfc-final removes the lockup', () => {
    expect(byId('rfc-v1-boot-crash').lesson.variant).toBe('rfc-v1');
    expect(expects('rfc-v1-boot-crash').reachable).toContain('oops');
    expect(byId('rfc-hugetlb-ppc').lesson).toMatchObject({ variant: 'rfc-highest-vm-end', config: 'hugetlb-ppc' });
    expect(expects('rfc-hugetlb-ppc').reachable).toContain('oops');
    expect(byId('rfc-close-lockup').lesson).toMatchObject({ variant: 'rfc-split-pgtables', config: 'driver-close' });
    expect(expects('rfc-close-lockup').reachable).toContain('lockup');
    expect(byId('rfc-final-no-lockup').lesson).toMatchObject({ variant: 'rfc-final', config: 'driver-close' });
    expect(expects('rfc-final-no-lockup').unreachable).toContain('lockup');
    expect(byId('rfc-starved-exit').lesson.variant).toBe('rfc-final');
    expect(expects('rfc-starved-exit').reachable).toContain('needless_kill');
  });
  it('lessons after the tutorial follow the dates of the events they play', () => {
    const story = campaign.lessons.filter((l) => l.chapter !== 'Tutorial');
    const dates = story.map((l) => l.date);
    expect(dates, story.map((l) => `${l.order} ${l.id} ${l.date}`).join('\n')).toEqual([...dates].sort());
  });
  it('without MMF_OOM_SKIP after the handover the OOM killer waits forever; every other exit path lets it kill W and succeed', () => {
    const l = byId('who-sets-oom-skip').lesson;
    expect(l.variant).toBe('rfc-no-exit-skip');
    expect(expects('who-sets-oom-skip').reachable).toContain('lockup');
    const config = lessonScenario(l).config;
    for (const v of ['rfc-split-pgtables', 'rfc-final', 'v4.19', 'upstream-6.x'] as const) {
      const r = explore({ variant: v, config });
      expect(r.outcomes.lockup.reachable, `${v} locks up`).toBe(false);
      expect(r.outcomes.needless_kill.reachable, `${v} kills needlessly`).toBe(false);
      expect(r.outcomes.success.reachable, `${v} cannot succeed`).toBe(true);
    }
  });
  it('the munlock writer makes the RFC reaper give up with nothing reaped', () => {
    expect(byId('rfc-munlock-writer').lesson).toMatchObject({ variant: 'rfc-final', config: 'mlocked' });
    expect(expects('rfc-munlock-writer').reachable).toContain('needless_kill');
  });
  it('both timeouts still kill needlessly when the exit path is slow', () => {
    expect(expects('tetsuo-stall-timeout').reachable).toContain('needless_kill');
    expect(expects('rientjes-deadline').reachable).toContain('needless_kill');
  });
  it('upstream removes the mlock kill but leaves the page-table window', () => {
    expect(byId('upstream-mlock-fixed').lesson).toMatchObject({ variant: 'upstream-6.x', config: 'mlocked' });
    expect(expects('upstream-mlock-fixed').unreachable).toContain('needless_kill');
    expect(byId('upstream-pgtable-window').lesson).toMatchObject({ variant: 'upstream-6.x', config: 'pgtable-heavy' });
    expect(expects('upstream-pgtable-window').reachable).toContain('needless_kill');
  });
});

describe('a wrong expectation is reported', () => {
  const f = byId('v419-mlock-kill');
  const wrong = (change: (l: Lesson) => Lesson) => verifyLesson(change(structuredClone(f.lesson)), { file: f.file, positions: f.positions });

  it('an outcome declared reachable that no interleaving reaches', () => {
    const v = wrong((l) => ({ ...l, expect: { ...l.expect, reachable: [...l.expect.reachable, 'oops'], unreachable: l.expect.unreachable.filter((o) => o !== 'oops') } }));
    expect(v.ok).toBe(false);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]!.path).toBe('expect.reachable[2]');
    expect(v.problems[0]!.message).toMatch(/^expect\.reachable\[2\]: "oops" is expected reachable, but no interleaving of v4\.19 × mlocked reaches it \(\d+ states searched\)$/);
  });

  it('an outcome declared unreachable that the explorer reaches, with the trace', () => {
    const v = wrong((l) => ({ ...l, expect: { ...l.expect, reachable: ['success'], unreachable: [...l.expect.unreachable, 'needless_kill'], shortest: {} } }));
    expect(v.problems.map(formatLessonError)).toEqual([
      `${f.file}:${f.positions['expect.unreachable']!.line}:${f.positions['expect.unreachable']!.col}: expect.unreachable[3]: "needless_kill" is expected unreachable, but the explorer reaches it in 9 steps: allocator:A1, allocator:A2, victim:mmput, victim:self_reap, victim:self_reap:0, victim:self_reap:1, victim:set_oom_skip, allocator:A1, allocator:A2`,
    ]);
  });

  it('a wrong shortest length, at the line of the length', () => {
    const v = wrong((l) => ({ ...l, expect: { ...l.expect, shortest: { needless_kill: 7 } } }));
    expect(v.problems).toHaveLength(1);
    const p = v.problems[0]!;
    expect(p).toMatchObject({ file: f.file, path: 'expect.shortest.needless_kill', ...f.positions['expect.shortest.needless_kill'] });
    expect(p.message).toMatch(/^expect\.shortest\.needless_kill: the shortest trace to "needless_kill" is expected to take 7 steps, but the explorer's takes 9: /);
  });

  it('a lesson file with a wrong expectation fails end to end', () => {
    const text = readFileSync(join(CAMPAIGN_DIR, '15-upstream-mlock-fixed.yaml'), 'utf8')
      .replace('  reachable: [success]\n  unreachable: [needless_kill, lockup, oops, panic]', '  reachable: [success, needless_kill]\n  unreachable: [lockup, oops, panic]')
      .replace('  kind: avoid\n  outcome: needless_kill', '  kind: hunt\n  outcome: needless_kill');
    const r = parseLesson(text, 'wrong.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = verifyLesson(r.lesson, { file: 'wrong.yaml', positions: r.positions });
    expect(v.problems.map((e) => `${e.line}:${e.col} ${e.path}`)).toEqual([`${r.positions['expect.reachable[1]']!.line}:${r.positions['expect.reachable[1]']!.col} expect.reachable[1]`]);
  });
});

describe('cross-file checks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reaplab-lessons-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports duplicate ids and orders, and file names that do not match', () => {
    const a = byId('tutorial');
    const errors = crossFileErrors([a, { ...a, file: 'lessons/campaign/07-tutorial.yaml' }], { namesMatch: true });
    expect(errors.map(formatLessonError)).toEqual([
      `lessons/campaign/07-tutorial.yaml:${a.positions.id!.line}:${a.positions.id!.col}: id: duplicate lesson id "tutorial": ${a.file} uses it too`,
      `lessons/campaign/07-tutorial.yaml:${a.positions.order!.line}:${a.positions.order!.col}: order: duplicate order 1: ${a.file} (tutorial) has it too`,
      `lessons/campaign/07-tutorial.yaml:${a.positions.order!.line}:${a.positions.order!.col}: order: order is 1, but the file name says 07`,
    ]);
  });

  it('loads a directory with a broken lesson and reports it with its path', () => {
    const good = readFileSync(join(CAMPAIGN_DIR, '01-tutorial.yaml'), 'utf8');
    writeFileSync(join(dir, '01-tutorial.yaml'), good);
    writeFileSync(join(dir, '02-broken.yaml'), good.replace('id: tutorial', 'id: broken').replace('order: 1', 'order: 2').replace('variant: v4.19', 'variant: v9'));
    writeFileSync(join(dir, '03-renamed.yaml'), good.replace('order: 1', 'order: 3'));
    const c = loadCampaign(dir);
    expect(c.lessons.map((l) => l.id)).toEqual(['tutorial', 'tutorial']);
    const shown = c.errors.map(formatLessonError).map((e) => e.split(`${dir}/`).join(''));
    expect(shown).toEqual([
      '02-broken.yaml:6:10: variant: unknown variant "v9"; the variants are: v4.14, v4.19, rfc-v1, rfc-highest-vm-end, rfc-split-pgtables, rfc-final, rfc-no-exit-skip, tetsuo-timeout, rientjes-timeout, upstream-6.x',
      '03-renamed.yaml:1:5: id: duplicate lesson id "tutorial": 01-tutorial.yaml uses it too',
      '03-renamed.yaml:1:5: id: id is "tutorial", but the file name says "renamed"',
    ]);
  });
});
