// Every broken lesson must be reported with the exact line:col of the node at fault and
// a message that says what to do. The cases break a small valid lesson one field at a time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatLessonError, lessonBotGoals, lessonBots, lessonScenario, parseLesson } from './parse.js';

const BASE = readFileSync(new URL('./fixtures/minimal.yaml', import.meta.url), 'utf8');

/** The fixture with one exact, unique piece of text replaced. */
function edit(from: string, to: string): string {
  const at = BASE.indexOf(from);
  if (at < 0 || BASE.indexOf(from, at + 1) >= 0) throw new Error(`the fixture must contain "${from}" exactly once`);
  return BASE.slice(0, at) + to + BASE.slice(at + from.length);
}

function errorsOf(text: string): string[] {
  const r = parseLesson(text, 'f.yaml');
  return r.ok ? [] : r.errors.map(formatLessonError);
}

describe('parseLesson accepts a valid lesson', () => {
  it('returns the typed lesson, node positions and the scenario with overrides', () => {
    const r = parseLesson(BASE, 'f.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lesson.id).toBe('fixture-lesson');
    expect(r.lesson.expect.unreachable).toEqual(['lockup', 'oops', 'panic']);
    expect(r.positions['expect.shortest.needless_kill']).toEqual({ line: 51, col: 20 });
    expect(r.positions['hints[1]']).toEqual({ line: 39, col: 5 });
    const sc = lessonScenario(r.lesson);
    expect(sc.variant).toBe('v4.19');
    expect(sc.config.maxAttempts).toBe(2);
    expect(sc.config.vmas).toEqual([{ kind: 'anon', pages: 2, locked: true, close: 'none' }, { kind: 'anon', pages: 1, locked: false, close: 'none' }]);
    expect(lessonBotGoals(r.lesson)).toEqual({ target: 'needless_kill', avoid: ['needless_kill'] });
    expect(lessonBots(r.lesson, ['allocator'])).toEqual({ victim: 'guardian', reaper: 'random' });
  });

  it('fills VMA defaults in overrides and reads an unquoted year as a date', () => {
    const r = parseLesson(edit('  maxAttempts: 2', '  vmas:\n    - { kind: anon, pages: 4 }\n    - { kind: shared, pages: 0, close: M }').replace('date: "2018-09-14"', 'date: 2018'), 'f.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lesson.date).toBe('2018');
    expect(lessonScenario(r.lesson).config.vmas).toEqual([
      { kind: 'anon', pages: 4, locked: false, close: 'none' },
      { kind: 'shared', pages: 0, locked: false, close: 'M' },
    ]);
  });
});

describe('parseLesson reports errors at file:line:col', () => {
  const cases: [string, string, string[]][] = [
    ['YAML syntax error', edit('reachable: [success, needless_kill]', 'reachable: [success, needless_kill'), [
      'f.yaml:49:3: YAML syntax error: flow sequence in block collection must be sufficiently indented and end with a ]',
    ]],
    ['tab indentation', edit('  maxAttempts: 2', '\tmaxAttempts: 2'), [
      'f.yaml:10:1: YAML syntax error: tabs are not allowed as indentation; indent with spaces',
    ]],
    ['duplicate field', edit('mode: scheduler', 'mode: scheduler\nmode: race'), [
      'f.yaml:12:1: duplicate field "mode": each field may appear once',
    ]],
    ['two documents', `${BASE}---\nid: other\n`, [
      'f.yaml:53:1: a lesson file holds exactly one YAML document: remove the extra "---" line',
    ]],
    ['empty file', '', ['f.yaml:1:1: the file is empty: a lesson is a YAML mapping of fields (id, order, title, ...)']],
    ['a list instead of a mapping', '- a\n- b\n', [
      'f.yaml:1:1: a lesson is a YAML mapping of fields (id: ..., title: ...), not a list or a single value',
    ]],
    ['unknown field with a suggestion (and no separate "missing title")', edit('title: "A fixture"', 'titel: "A fixture"'), [
      'f.yaml:4:1: titel: unknown field "titel"; did you mean "title"?',
    ]],
    ['unknown nested field', edit('    bot: guardian', '    bot: guardian\n    color: red'), [
      'f.yaml:19:5: roles.victim.color: unknown field "color" in roles.victim; the fields here are: does, wants, side, bot',
    ]],
    ['wrong type', edit('order: 1', 'order: "first"'), ['f.yaml:3:8: order: expected a number, got "first"']],
    ['unquoted all-digit commit id', edit('id: 27ae357fa82b', 'id: 212925802454'), [
      'f.yaml:44:9: sources[0].id: expected a text, got the number 212925802454; YAML reads 212925802454 as a number: write it in quotes, "212925802454"',
    ]],
    ['unknown variant', edit('variant: v4.19', 'variant: v4.20'), [
      'f.yaml:7:10: variant: unknown variant "v4.20"; the variants are: v4.14, v4.19, rfc-v1, rfc-highest-vm-end, rfc-split-pgtables, rfc-final, rfc-no-exit-skip, tetsuo-timeout, rientjes-timeout, upstream-6.x',
    ]],
    ['unknown config', edit('config: mlocked', 'config: mlock'), [
      'f.yaml:8:9: config: unknown config "mlock"; the configs are: pgtable-heavy, mlocked, driver-close, hugetlb-ppc, no-escape',
    ]],
    ['override out of the engine\'s range', edit('maxAttempts: 2', 'maxAttempts: 0'), [
      'f.yaml:10:16: overrides.maxAttempts: maxAttempts must be an integer from 1 to 60',
    ]],
    ['override VMA with a bad page count', edit('  maxAttempts: 2', '  vmas:\n    - { kind: anon, pages: -1 }'), [
      'f.yaml:11:28: overrides.vmas[0].pages: vmas[0].pages must be an integer from 0 to 255',
    ]],
    ['override VMA of an unknown kind', edit('  maxAttempts: 2', '  vmas:\n    - { kind: anonymous, pages: 2 }'), [
      'f.yaml:11:15: overrides.vmas[0].kind: expected one of anon, file, shared, hugetlb, pfnmap; got "anonymous"',
    ]],
    ['overrides over the page budget', edit('  maxAttempts: 2', '  free: 200\n  bystanders: [100]'), [
      'f.yaml:10:3: overrides: all pages together (304) must not exceed 255',
    ]],
    ['missing goal', edit('goal:\n  kind: hunt\n  outcome: needless_kill\n  text: "Kill W needlessly."\n', ''), [
      'f.yaml:2:1: goal: missing required field "goal"',
    ]],
    ['empty goal', edit('goal:\n  kind: hunt\n  outcome: needless_kill\n  text: "Kill W needlessly."\n', 'goal:\n'), [
      'f.yaml:29:1: goal: expected a mapping of fields, got nothing',
    ]],
    ['goal without an outcome', edit('  outcome: needless_kill\n  text', '  text'), [
      'f.yaml:30:3: goal.outcome: missing required field "outcome" in goal',
    ]],
    ['duplicate hint', edit('  - "Second hint."', '  - "Second hint."\n  - "first  hint."'), [
      'f.yaml:40:5: hints[2]: duplicate hint: the same text as hints[0] (line 38)',
    ]],
    ['too few hints', edit('hints:\n  - "First hint."\n  - "Second hint."', 'hints: []'), ['f.yaml:37:8: hints: must list at least 2 items']],
    ['outcome both reachable and unreachable', edit('unreachable: [lockup, oops, panic]', 'unreachable: [lockup, oops, panic, success]'), [
      'f.yaml:49:38: expect.unreachable[3]: "success" is listed both as reachable and as unreachable',
    ]],
    ['unknown outcome', edit('reachable: [success, needless_kill]', 'reachable: [success, needless_kill, crash]'), [
      'f.yaml:48:39: expect.reachable[2]: expected one of success, needless_kill, lockup, oops, panic; got "crash"',
    ]],
    ['hunt goal declared unreachable', edit('  outcome: needless_kill\n  text', '  outcome: oops\n  text'), [
      'f.yaml:31:12: goal.outcome: a hunt goal must be reachable, but expect.unreachable lists "oops"',
    ]],
    ['shortest length for an outcome not expected reachable', edit('    needless_kill: 8', '    needless_kill: 8\n    lockup: 3'), [
      'f.yaml:52:5: expect.shortest.lockup: a shortest length is given for "lockup", but expect.reachable does not list it',
    ]],
    ['code note for a step the variant lacks', edit('set_oom_skip: "The flag."', 'set_oom_skipp: "The flag."'), [
      'f.yaml:41:3: code_notes.set_oom_skipp: variant v4.19 has no step "set_oom_skipp"; did you mean "set_oom_skip"?',
    ]],
    ['an adversary bot on the avoiding side', edit('    bot: guardian', '    bot: adversary'), [
      'f.yaml:18:10: roles.victim.bot: an adversary bot drives toward the goal outcome, but this seat\'s side is "avoid" (use guardian, lazy or random)',
    ]],
    ['a solo actor seat in scheduler mode', edit('  solo: scheduler', '  solo: allocator'), [
      'f.yaml:11:7: mode: the solo learner plays the allocator against the other seats\' bots, which only happens in race mode; write mode: race (or solo: scheduler)',
    ]],
    ['bad date', edit('date: "2018-09-14"', 'date: "14 Sept 2018"'), ['f.yaml:6:7: date: a date is YYYY, YYYY-MM or YYYY-MM-DD, like 2018-09-14']],
    ['message id in angle brackets', edit('  - kind: commit\n    id: 27ae357fa82b', '  - kind: message\n    id: <27ae357fa82b>'), [
      'f.yaml:44:9: sources[0].id: a message id looks like local-part@domain, without angle brackets; got "<27ae357fa82b>"',
    ]],
    ['alias without anchor', edit('story: "A short story."', 'story: *nothing'), ['f.yaml:33:8: story: the alias *nothing names no anchor']],
  ];

  it.each(cases)('%s', (_name, text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });

  it('reports several problems at once, in file order', () => {
    const text = edit('variant: v4.19', 'variant: v5').replace('order: 1', 'order: 0').replace('    bot: random', '    bot: smart');
    expect(errorsOf(text)).toEqual([
      'f.yaml:3:8: order: must be at least 1, got the number 0',
      'f.yaml:7:10: variant: unknown variant "v5"; the variants are: v4.14, v4.19, rfc-v1, rfc-highest-vm-end, rfc-split-pgtables, rfc-final, rfc-no-exit-skip, tetsuo-timeout, rientjes-timeout, upstream-6.x',
      'f.yaml:23:10: roles.reaper.bot: expected one of lazy, random, adversary, guardian; got "smart"',
    ]);
  });

  it('gives errors as data too: file, line, col, path, message', () => {
    const r = parseLesson(edit('variant: v4.19', 'variant: v4.20'), 'lessons/x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ file: 'lessons/x.yaml', line: 7, col: 10, path: 'variant' });
  });
});
