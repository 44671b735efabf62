// Export and import: Markdown with a step table per trace (replayed, so each row says what
// the step did) and the outcome; JSON that imports into another notebook intact, with
// traces marked as imported; Jupyter nbformat 4 that Debian's python3-nbformat validates.
// Sources are links in every export, and a trace carries its replay link.

import { execFileSync } from 'node:child_process';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { shareHash } from '../../client/lib/share.js';
import { explore, makeScenario, type Scenario } from '../../engine/index.js';
import { insertCell, readCells, setTitle, type TraceRecord } from '../../protocol/notebook/doc.js';
import { importCells, parseExport, toJSON, toMarkdown, type ExportLinks } from '../../protocol/notebook/export.js';
import { sourceLines, toIpynb } from '../../protocol/notebook/ipynb.js';

const scenario = makeScenario('rfc-v1', 'pgtable-heavy') as Scenario;
const oops = explore(scenario).outcomes.oops;
if (!oops.reachable) throw new Error('oops must be reachable');
const trace: TraceRecord = {
  v: 1, traceId: 'abcdefgh', room: 'K7QX2M', classCode: null, lesson: 'rfc-v1-boot-crash', run: 2, scenario, actions: oops.trace,
  by: oops.trace.map((a) => (a.actor === 'reaper' ? 'bot:lazy' : 'Ada')), outcome: 'oops', detail: oops.detail, needlessKill: false,
  verdict: 'win', players: { victim: ['Ada'], reaper: ['bot:lazy'], allocator: ['Ada'] }, startedAt: '2018-09-10T10:00:00.000Z', finishedAt: '2018-09-10T10:02:00.000Z',
};

const lesson = {
  id: 'rfc-v1-boot-crash', title: 'The boot crash', chapter: 'RFC v1', date: '2018-09-10', goal: { kind: 'hunt' as const, outcome: 'oops' as const, text: 'Find the oops.' },
  story: 'The reaper walks page tables that exit_mmap() already freed.', takeaway: 'Order matters.', mode: 'race' as const, scenario,
  sources: [
    { kind: 'message', id: '20180910125513.311-1-mhocko@kernel.org', title: '[RFC 0/3] the cover letter', date: '2018-09-10' },
    { kind: 'commit', id: '212925802454', title: 'let oom_reap_task and exit_mmap run concurrently', date: '2017' },
  ],
  codeNotes: {},
};

const links: ExportLinks = {
  link: (id) => `https://reaplab.example/#/notebook/nb-demo?cell=${id}`,
  replay: (t) => `https://reaplab.example/${shareHash({ scenario: t.scenario, actions: t.actions, ...(t.lesson ? { lesson: t.lesson } : {}) })}`,
};

function notebook(): Y.Doc {
  const doc = new Y.Doc();
  setTitle(doc, 'Why rfc-v1 does not boot');
  insertCell(doc, { kind: 'lesson', lesson, notes: '' }, { by: 'reaplab', at: '2024-01-01T00:00:00Z', via: 'server' });
  insertCell(doc, { kind: 'markdown', text: 'We played the **boot crash** twice. | pipes | stay' }, { by: 'Ada', at: '2024-01-01T00:00:00Z', via: 'editor' });
  insertCell(doc, { kind: 'trace', trace, notes: 'Step 9 frees the page tables first.' }, { by: 'reaplab', at: trace.finishedAt, via: 'server' });
  insertCell(doc, { kind: 'explorer', scenario: { variant: 'rfc-v1', config: 'pgtable-heavy', overrides: { maxAttempts: 1 } }, notes: 'What if the reaper retried only once?' }, { by: 'Ada', at: '2024-01-01T00:00:00Z', via: 'editor' });
  return doc;
}

describe('notebook export', () => {
  it('writes Markdown with each trace as a table of its steps and its outcome', () => {
    const md = toMarkdown(notebook(), 'nb-demo', { ...links, now: new Date('2024-02-03T04:05:00Z') });
    expect(md.startsWith('# Why rfc-v1 does not boot\n')).toBe(true);
    expect(md).toContain('We played the **boot crash** twice.');
    expect(md).toContain('## Trace: run 2 in room K7QX2M, lesson `rfc-v1-boot-crash` — kernel oops');
    expect(md).toContain('| # | actor | step | what it does | what happened | by |');
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows.length).toBe(oops.trace.length);
    expect(rows[0]).toMatch(/^\| 1 \| allocator \| `A1` \|/);
    expect(rows.at(-1)).toContain('**oops**');
    expect(md).toContain(`**Outcome:** kernel oops — ${oops.detail}. Lesson goal: reached.`);
    expect(md).toContain('Step 9 frees the page tables first.');
    expect(md).toContain('Permalink: https://reaplab.example/#/notebook/nb-demo?cell=');
    expect(md).toContain('Replay: [replay this run step by step](https://reaplab.example/#/replay/rfc-v1/pgtable-heavy/a.A1,');
    expect(md).toContain('- [\\[RFC 0/3\\] the cover letter](https://lore.kernel.org/r/20180910125513.311-1-mhocko%40kernel.org) (message `20180910125513.311-1-mhocko@kernel.org`, 2018-09-10)');
    expect(md).toContain('- [let oom_reap_task and exit_mmap run concurrently](https://git.kernel.org/torvalds/c/212925802454) (commit');
    expect(md).toContain('## Explorer: `rfc-v1` × `pgtable-heavy` with maxAttempts = 1');
    expect(md).toContain('What if the reaper retried only once?');
  });

  it('round-trips through JSON into another notebook; traces arrive marked as imported', () => {
    const json = JSON.stringify(toJSON(notebook(), 'nb-demo', new Date(), links));
    const parsed = parseExport(json);
    if (typeof parsed === 'string') throw new Error(parsed);
    const exportedLesson = parsed.cells[0]!;
    if (exportedLesson.kind !== 'lesson') throw new Error('not a lesson');
    expect(exportedLesson.sourceLinks).toEqual({
      '20180910125513.311-1-mhocko@kernel.org': 'https://lore.kernel.org/r/20180910125513.311-1-mhocko%40kernel.org',
      '212925802454': 'https://git.kernel.org/torvalds/c/212925802454',
    });
    const exportedTrace = parsed.cells[2]!;
    if (exportedTrace.kind !== 'trace') throw new Error('not a trace');
    expect(exportedTrace.replay).toMatch(/^https:\/\/reaplab\.example\/#\/replay\/rfc-v1\/pgtable-heavy\/a\.A1,.*\?lesson=rfc-v1-boot-crash$/);
    const target = new Y.Doc();
    expect(importCells(target, parsed, 'Bob', new Date('2024-03-01T00:00:00Z'), 2)).toBe(4);
    const cells = readCells(target);
    expect(cells.map((c) => c.kind)).toEqual(['lesson', 'markdown', 'trace', 'explorer']);
    const t = cells[2]!;
    if (t.kind !== 'trace') throw new Error('not a trace');
    expect(t.trace).toEqual(trace);
    expect(t.created).toEqual({ by: 'Bob', at: '2024-03-01T00:00:00.000Z', via: 'import' });
    expect(t.notes.toString()).toBe('Step 9 frees the page tables first.');
  });

  it('says what is wrong with a file that is not an export', () => {
    expect(parseExport('not json')).toMatch(/not JSON/);
    expect(parseExport('{"format":"other"}')).toMatch(/not a reaplab notebook export/);
  });

  it('writes a Jupyter notebook (nbformat 4.5) that python3-nbformat validates, one Markdown cell per cell', () => {
    const doc = notebook();
    const nb = toIpynb(doc, 'nb-demo', { ...links, now: new Date('2024-02-03T04:05:00Z'), notebookLink: 'https://reaplab.example/#/notebook/nb-demo' });
    const ids = readCells(doc).map((c) => c.id);
    expect(nb.cells.map((c) => c.id)).toEqual(['reaplab-title', ...ids]);
    expect(nb.cells.every((c) => c.cell_type === 'markdown')).toBe(true);
    const text = (i: number) => nb.cells[i]!.source.join('');
    expect(text(0)).toBe('# Why rfc-v1 does not boot\n\n_A reaplab notebook (`nb-demo`), exported 2024-02-03 04:05 UTC._');
    expect(text(3)).toContain('| # | actor | step | what it does | what happened | by |');
    expect(text(3).split('\n').filter((l) => /^\| \d+ \|/.test(l)).length).toBe(oops.trace.length);
    expect(text(3)).toContain('Replay: [replay this run step by step](https://reaplab.example/#/replay/rfc-v1/pgtable-heavy/');
    expect(text(1)).toContain('(https://git.kernel.org/torvalds/c/212925802454)');
    expect(nb.cells[3]!.metadata).toMatchObject({ reaplab: { kind: 'trace', outcome: 'oops', run: 2, room: 'K7QX2M' } });

    // Debian's python3-nbformat (apt-get install python3-nbformat) is the judge; the test fails without it.
    const verdict = execFileSync('/usr/bin/python3', ['-c', [
      'import json, sys, nbformat',
      'nb = json.load(sys.stdin)',
      'nbformat.validate(nb)',
      'node = nbformat.reads(json.dumps(nb), as_version=4)',
      'print(nbformat.__version__, node.nbformat, node.nbformat_minor, len(node.cells))',
    ].join('\n')], { input: JSON.stringify(nb), encoding: 'utf8' });
    expect(verdict.trim()).toMatch(new RegExp(`^\\d+\\.\\d+\\S* 4 5 ${nb.cells.length}$`));

    // A broken notebook is refused, so the check above can fail.
    const broken = { ...nb, cells: [{ ...nb.cells[0]!, cell_type: 'markdown', id: 'has spaces' }] };
    expect(() => execFileSync('/usr/bin/python3', ['-c', 'import json, sys, nbformat\nnbformat.validate(json.load(sys.stdin))'], { input: JSON.stringify(broken), stdio: ['pipe', 'pipe', 'pipe'] })).toThrow();
  });

  it('keeps Jupyter source lines with their newlines', () => {
    expect(sourceLines('a\n\nb\n')).toEqual(['a\n', '\n', 'b\n']);
    expect(sourceLines('one')).toEqual(['one']);
    expect(sourceLines('')).toEqual([]);
  });
});
