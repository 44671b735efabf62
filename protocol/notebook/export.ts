// Exporting and importing notebooks. Markdown is for reading (a blog post, a course page):
// notes as written, lessons as their story, and every trace as a table of its steps —
// replayed with the engine, so each row says what the step did — with its outcome. JSON
// is for moving a notebook: every cell with its provenance, importable into another
// notebook (traces arrive marked as imported; only the server records runs).

import * as Y from 'yjs';
import { z } from 'zod';
import { enabledActions, initialState, replay, step, type EngineEvent, type State } from '../../engine/index.js';
import { sourceUrl } from '../../lessons/source-links.js';
import type { ExplorerScenario } from './events.js';
import {
  CellCreatedSchema, CellIdSchema, ExplorerScenarioSchema, LessonRecordSchema, TraceRecordSchema, insertCells, readCells, titleOf,
  type CellCreated, type CellSpec, type CellView, type LessonRecord, type TraceRecord,
} from './doc.js';

export const EXPORT_FORMAT = 'reaplab-notebook';
export const EXPORT_VERSION = 1;

export type ExportedCell =
  | { kind: 'markdown'; id: string; created: CellCreated; text: string }
  | { kind: 'lesson'; id: string; created: CellCreated; lesson: LessonRecord; notes: string; sourceLinks?: Record<string, string> }
  | { kind: 'trace'; id: string; created: CellCreated; trace: TraceRecord; notes: string; replay?: string }
  | { kind: 'explorer'; id: string; created: CellCreated; scenario: ExplorerScenario; notes: string };

export interface ExportedNotebook {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  id: string;
  title: string;
  exportedAt: string;
  cells: ExportedCell[];
}

const Notes = z.string().max(200_000);
const ExportedCellSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('markdown'), id: CellIdSchema, created: CellCreatedSchema, text: Notes }),
  // The links are for readers of the file; an import rebuilds them from the records.
  z.strictObject({ kind: z.literal('lesson'), id: CellIdSchema, created: CellCreatedSchema, lesson: LessonRecordSchema, notes: Notes, sourceLinks: z.record(z.string().max(200), z.string().max(2000)).optional() }),
  z.strictObject({ kind: z.literal('trace'), id: CellIdSchema, created: CellCreatedSchema, trace: TraceRecordSchema, notes: Notes, replay: z.string().max(200_000).optional() }),
  z.strictObject({ kind: z.literal('explorer'), id: CellIdSchema, created: CellCreatedSchema, scenario: ExplorerScenarioSchema, notes: Notes }),
]);

export const ExportedNotebookSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  id: z.string().max(64),
  title: z.string().max(300),
  exportedAt: z.string().max(40),
  cells: z.array(ExportedCellSchema).max(20_000),
});

/** Where each of a lesson's sources is read, by source id. */
export function sourceLinks(l: LessonRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of l.sources) {
    const url = sourceUrl(s);
    if (url) out[s.id] = url;
  }
  return out;
}

function exportCell(c: CellView, links: ExportLinks): ExportedCell {
  switch (c.kind) {
    case 'markdown': return { kind: c.kind, id: c.id, created: c.created, text: c.text.toString() };
    case 'lesson': return { kind: c.kind, id: c.id, created: c.created, lesson: c.lesson, notes: c.notes.toString(), sourceLinks: sourceLinks(c.lesson) };
    case 'trace': {
      const replay = links.replay?.(c.trace);
      return { kind: c.kind, id: c.id, created: c.created, trace: c.trace, notes: c.notes.toString(), ...(replay ? { replay } : {}) };
    }
    case 'explorer': return { kind: c.kind, id: c.id, created: c.created, scenario: c.scenario, notes: c.notes.toString() };
  }
}

/** The links an export writes; the browser knows its own origin and the share-link format. */
export interface ExportLinks {
  /** An absolute link to a cell (the notebook's permalink). */
  link?: (cellId: string) => string;
  /** An absolute link that replays a recorded run. */
  replay?: (trace: TraceRecord) => string;
}

export function toJSON(doc: Y.Doc, id: string, now: Date = new Date(), links: ExportLinks = {}): ExportedNotebook {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    id,
    title: titleOf(doc)?.toString() ?? '',
    exportedAt: now.toISOString(),
    cells: readCells(doc).map((c) => exportCell(c, links)),
  };
}

/** Parses an export; a string says what is wrong with it. */
export function parseExport(text: string): ExportedNotebook | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'this file is not JSON; export a notebook with "Export → JSON" and import that file';
  }
  const r = ExportedNotebookSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return `this is not a reaplab notebook export (${i.path.join('.') || 'file'}: ${i.message})`;
  }
  return r.data as ExportedNotebook;
}

/**
 * Adds an export's cells at the end of `doc`, in transactions of at most `batch` cells (each
 * becomes one update, so a large import stays under the message limit). Returns the count.
 */
export function importCells(doc: Y.Doc, exported: ExportedNotebook, by: string, now: Date = new Date(), batch = 50, origin: unknown = null): number {
  const at = now.toISOString();
  const specs = exported.cells.map((c): { spec: CellSpec; created: CellCreated } => {
    // A trace keeps who recorded it inside the record; the cell says it was imported, by whom.
    const created: CellCreated = { by, at, via: c.kind === 'trace' ? 'import' : 'editor' };
    switch (c.kind) {
      case 'markdown': return { spec: { kind: 'markdown', text: c.text }, created };
      case 'lesson': return { spec: { kind: 'lesson', lesson: c.lesson, notes: c.notes }, created };
      case 'trace': return { spec: { kind: 'trace', trace: c.trace, notes: c.notes }, created };
      case 'explorer': return { spec: { kind: 'explorer', scenario: c.scenario, notes: c.notes }, created };
    }
  });
  for (let i = 0; i < specs.length; i += batch) insertCells(doc, specs.slice(i, i + batch), undefined, origin);
  return specs.length;
}

// ---------------------------------------------------------------------------------------
// Markdown

const OUTCOME_WORDS: Record<string, string> = {
  success: 'success — the allocation got its pages',
  oops: 'kernel oops',
  lockup: 'lockup — nobody can make progress',
  panic: 'panic — nothing left to kill',
  needless_kill: 'needless kill',
};

const ACTOR_WORDS: Record<string, string> = { victim: 'victim', reaper: 'oom_reaper', allocator: 'allocator' };

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function eventText(e: EngineEvent): string {
  if (e.type === 'log') return e.text;
  return e.detail ? `**${e.outcome}**: ${e.detail}` : `**${e.outcome}**`;
}

/** The rows of a trace: step, actor, step name, what the engine says it does and did, who took it. */
export function traceRows(t: TraceRecord): { n: number; actor: string; step: string; label: string; happened: string; by: string }[] {
  const rows: { n: number; actor: string; step: string; label: string; happened: string; by: string }[] = [];
  let s: State = initialState(t.scenario);
  t.actions.forEach((a, i) => {
    const choice = enabledActions(s).find((c) => c.actor === a.actor);
    const label = choice && choice.step === a.step ? choice.label : '';
    const r = step(s, a);
    rows.push({ n: i + 1, actor: ACTOR_WORDS[a.actor] ?? a.actor, step: a.step, label, happened: r.ok ? r.events.map(eventText).join('; ') : `not legal here: ${r.error.message}`, by: t.by[i] ?? '' });
    if (r.ok) s = r.state;
  });
  return rows;
}

function scenarioLine(variant: string, configId: string, configTitle: string): string {
  return `\`${variant}\` × \`${configId}\` (${configTitle})`;
}

/** A link in Markdown, its text escaped; a URL with spaces or brackets is written in angle brackets. */
export function mdLink(text: string, url: string): string {
  const t = text.replace(/\\/g, '\\\\').replace(/([[\]])/g, '\\$1');
  return /[\s()<>]/.test(url) ? `[${t}](<${url.replace(/[<>]/g, encodeURIComponent)}>)` : `[${t}](${url})`;
}

function traceMarkdown(c: Extract<CellView, { kind: 'trace' }>, links: ExportLinks): string {
  const t = c.trace;
  const r = replay(t.scenario, t.actions);
  const outcome = r.ok && r.outcome ? r.outcome.id : t.outcome;
  const where = [t.room ? `room ${t.room}` : '', t.classCode ? `class ${t.classCode}` : '', t.lesson ? `lesson \`${t.lesson}\`` : ''].filter(Boolean).join(', ');
  const players = Object.entries(t.players).map(([actor, who]) => `${ACTOR_WORDS[actor] ?? actor}: ${who.join(', ') || '—'}`).join('; ');
  const out: string[] = [];
  out.push(`## Trace: run ${t.run}${where ? ` in ${where}` : ''} — ${OUTCOME_WORDS[outcome] ?? outcome}`);
  out.push('');
  out.push(`Scenario: ${scenarioLine(t.scenario.variant, t.scenario.config.id, t.scenario.config.title)}. ${t.actions.length} steps, ${t.startedAt} → ${t.finishedAt}.${c.created.via === 'import' ? ` Imported by ${c.created.by}.` : ''}`);
  if (players) out.push(`Played by: ${players}.`);
  const replayLink = links.replay?.(t);
  if (replayLink) out.push(`Replay: ${mdLink('replay this run step by step', replayLink)}`);
  if (links.link) out.push(`Permalink: ${links.link(c.id)}`);
  out.push('');
  out.push('| # | actor | step | what it does | what happened | by |');
  out.push('|---:|---|---|---|---|---|');
  for (const row of traceRows(t)) out.push(`| ${row.n} | ${cell(row.actor)} | \`${cell(row.step)}\` | ${cell(row.label)} | ${cell(row.happened)} | ${cell(row.by)} |`);
  out.push('');
  const detail = (r.ok && r.outcome?.detail) || t.detail;
  out.push(`**Outcome:** ${OUTCOME_WORDS[outcome] ?? outcome}${detail ? ` — ${detail}` : ''}.${t.needlessKill ? ' A needless kill happened on the way.' : ''}${t.verdict !== 'none' ? ` Lesson goal: ${t.verdict === 'win' ? 'reached' : 'not reached'}.` : ''}`);
  if (!r.ok) out.push(`\n> This trace no longer replays with this version of the model: step ${r.index + 1} is refused (${r.error.message}).`);
  const notes = c.notes.toString().trim();
  if (notes) out.push('', '**Notes:**', '', notes);
  return out.join('\n');
}

function lessonMarkdown(c: Extract<CellView, { kind: 'lesson' }>): string {
  const l = c.lesson;
  const out = [`## Lesson: ${l.title}`, '', `_${l.chapter} · ${l.date} · ${scenarioLine(l.scenario.variant, l.scenario.config.id, l.scenario.config.title)}_`, '', l.story.trim(), '', `**Goal:** ${l.goal.text}`, '', `**The lesson:** ${l.takeaway.trim()}`];
  if (l.sources.length) {
    out.push('', '**Sources:**', '');
    for (const s of l.sources) {
      const url = sourceUrl(s);
      out.push(`- ${url ? mdLink(s.title, url) : s.title} (${s.kind} \`${s.id}\`, ${s.date})`);
    }
  }
  const notes = c.notes.toString().trim();
  if (notes) out.push('', '**Notes:**', '', notes);
  return out.join('\n');
}

function explorerMarkdown(c: Extract<CellView, { kind: 'explorer' }>, results: ((cellId: string) => string | null) | undefined): string {
  const s = c.scenario;
  const config = typeof s.config === 'string' ? s.config : s.config.id;
  const overrides = Object.entries(s.overrides).map(([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`).join(', ');
  const out = [`## Explorer: \`${s.variant}\` × \`${config}\`${overrides ? ` with ${overrides}` : ''}`];
  const q = c.notes.toString().trim();
  if (q) out.push('', q);
  const res = results?.(c.id);
  if (res) out.push('', res);
  return out.join('\n');
}

export interface MarkdownOptions extends ExportLinks {
  /** The explorer's results for an explorer cell, as Markdown (they are computed, not stored). */
  explorerResults?: (cellId: string) => string | null;
  now?: Date;
}

/** One cell as Markdown (also the source of its Jupyter cell). */
export function cellMarkdown(c: CellView, opts: MarkdownOptions = {}): string {
  switch (c.kind) {
    case 'markdown': return c.text.toString().trim();
    case 'lesson': return lessonMarkdown(c);
    case 'trace': return traceMarkdown(c, opts);
    case 'explorer': return explorerMarkdown(c, opts.explorerResults);
  }
}

/** The notebook's heading: its title and where it came from. */
export function headingMarkdown(doc: Y.Doc, id: string, opts: MarkdownOptions = {}): string {
  const title = titleOf(doc)?.toString().trim() || id;
  const at = (opts.now ?? new Date()).toISOString().slice(0, 16).replace('T', ' ');
  return `# ${title}\n\n_A reaplab notebook (\`${id}\`), exported ${at} UTC._`;
}

export function toMarkdown(doc: Y.Doc, id: string, opts: MarkdownOptions = {}): string {
  const parts = [headingMarkdown(doc, id, opts)];
  for (const c of readCells(doc)) parts.push('', cellMarkdown(c, opts));
  return parts.join('\n') + '\n';
}
