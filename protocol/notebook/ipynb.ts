// Jupyter export: a notebook as nbformat 4 (the .ipynb JSON that Jupyter, VS Code and
// GitHub open). Every reaplab cell becomes one Markdown cell with the same text as the
// Markdown export — a trace is its step table with its replay link — and keeps its id,
// so a permalink's cell id finds the same cell in the .ipynb. There is no code to run:
// the model runs in reaplab, and the notebook's metadata says where it came from.

import type * as Y from 'yjs';
import { readCells, type CellView } from './doc.js';
import { cellMarkdown, headingMarkdown, type MarkdownOptions } from './export.js';

export interface IpynbCell {
  cell_type: 'markdown';
  id: string;
  metadata: Record<string, unknown>;
  source: string[];
}

export interface Ipynb {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: Record<string, unknown>;
  cells: IpynbCell[];
}

/** Jupyter stores a cell's text as its lines, each but the last ending with its newline. */
export function sourceLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l) => l !== '');
}

function cellMetadata(c: CellView): Record<string, unknown> {
  const meta: Record<string, unknown> = { kind: c.kind, created: c.created };
  if (c.kind === 'trace') Object.assign(meta, { traceId: c.trace.traceId, outcome: c.trace.outcome, run: c.trace.run, room: c.trace.room });
  if (c.kind === 'lesson') meta.lesson = c.lesson.id;
  return { reaplab: meta };
}

export function toIpynb(doc: Y.Doc, id: string, opts: MarkdownOptions & { notebookLink?: string } = {}): Ipynb {
  const now = opts.now ?? new Date();
  const cells: IpynbCell[] = [{ cell_type: 'markdown', id: 'reaplab-title', metadata: {}, source: sourceLines(headingMarkdown(doc, id, { ...opts, now })) }];
  for (const c of readCells(doc)) {
    cells.push({ cell_type: 'markdown', id: c.id, metadata: cellMetadata(c), source: sourceLines(cellMarkdown(c, opts)) });
  }
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { reaplab: { notebook: id, exportedAt: now.toISOString(), ...(opts.notebookLink ? { link: opts.notebookLink } : {}) } },
    cells,
  };
}
