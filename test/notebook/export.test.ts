// Export and import: Markdown with a step table per trace (replayed, so each row says what
// the step did) and the outcome; JSON that imports into another notebook intact, with
// traces marked as imported.

import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { explore, makeScenario, type Scenario } from '../../engine/index.js';
import { insertCell, readCells, setTitle, type TraceRecord } from '../../protocol/notebook/doc.js';
import { importCells, parseExport, toJSON, toMarkdown } from '../../protocol/notebook/export.js';

const scenario = makeScenario('rfc-v1', 'pgtable-heavy') as Scenario;
const oops = explore(scenario).outcomes.oops;
if (!oops.reachable) throw new Error('oops must be reachable');
const trace: TraceRecord = {
  v: 1, traceId: 'abcdefgh', room: 'K7QX2M', classCode: null, lesson: 'rfc-v1-boot-crash', run: 2, scenario, actions: oops.trace,
  by: oops.trace.map((a) => (a.actor === 'reaper' ? 'bot:lazy' : 'Ada')), outcome: 'oops', detail: oops.detail, needlessKill: false,
  verdict: 'win', players: { victim: ['Ada'], reaper: ['bot:lazy'], allocator: ['Ada'] }, startedAt: '2018-09-10T10:00:00.000Z', finishedAt: '2018-09-10T10:02:00.000Z',
};

function notebook(): Y.Doc {
  const doc = new Y.Doc();
  setTitle(doc, 'Why rfc-v1 does not boot');
  insertCell(doc, { kind: 'markdown', text: 'We played the **boot crash** twice. | pipes | stay' }, { by: 'Ada', at: '2024-01-01T00:00:00Z', via: 'editor' });
  insertCell(doc, { kind: 'trace', trace, notes: 'Step 9 frees the page tables first.' }, { by: 'reaplab', at: trace.finishedAt, via: 'server' });
  insertCell(doc, { kind: 'explorer', scenario: { variant: 'rfc-v1', config: 'pgtable-heavy', overrides: { maxAttempts: 1 } }, notes: 'What if the reaper retried only once?' }, { by: 'Ada', at: '2024-01-01T00:00:00Z', via: 'editor' });
  return doc;
}

describe('notebook export', () => {
  it('writes Markdown with each trace as a table of its steps and its outcome', () => {
    const md = toMarkdown(notebook(), 'nb-demo', { link: (id) => `https://reaplab.example/#/notebook/nb-demo?cell=${id}`, now: new Date('2024-02-03T04:05:00Z') });
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
    expect(md).toContain('## Explorer: `rfc-v1` × `pgtable-heavy` with maxAttempts = 1');
    expect(md).toContain('What if the reaper retried only once?');
  });

  it('round-trips through JSON into another notebook; traces arrive marked as imported', () => {
    const json = JSON.stringify(toJSON(notebook(), 'nb-demo'));
    const parsed = parseExport(json);
    if (typeof parsed === 'string') throw new Error(parsed);
    const target = new Y.Doc();
    expect(importCells(target, parsed, 'Bob', new Date('2024-03-01T00:00:00Z'), 2)).toBe(3);
    const cells = readCells(target);
    expect(cells.map((c) => c.kind)).toEqual(['markdown', 'trace', 'explorer']);
    const t = cells[1]!;
    if (t.kind !== 'trace') throw new Error('not a trace');
    expect(t.trace).toEqual(trace);
    expect(t.created).toEqual({ by: 'Bob', at: '2024-03-01T00:00:00.000Z', via: 'import' });
    expect(t.notes.toString()).toBe('Step 9 frees the page tables first.');
  });

  it('says what is wrong with a file that is not an export', () => {
    expect(parseExport('not json')).toMatch(/not JSON/);
    expect(parseExport('{"format":"other"}')).toMatch(/not a reaplab notebook export/);
  });
});
