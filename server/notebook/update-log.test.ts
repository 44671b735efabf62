// The update log's compaction on a real SQLite store: one row holding the document as it
// is (deleted text dropped, as the server's garbage collector drops it), the same document
// after a reload, queued updates committed first, rows appended during a worker rebuild
// kept, and a log whose rows leave parts pending keeps them.

import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { silentLog } from '../log.js';
import { SqliteStore } from '../store/sqlite.js';
import { UpdateLog, type LogTarget } from './update-log.js';

interface Nb extends LogTarget {
  doc: Y.Doc;
}

const stores: SqliteStore[] = [];
const logs: UpdateLog<Nb>[] = [];
afterEach(async () => {
  for (const l of logs.splice(0)) await l.stop();
  for (const s of stores.splice(0)) s.close();
});

function setup(inlineBelow?: number) {
  const store = new SqliteStore(':memory:');
  stores.push(store);
  const stats = { compactions: 0 };
  const log = new UpdateLog<Nb>({
    store: store.notebooks, clock: systemClock, log: silentLog, stats,
    relay() {}, failed() {},
    snapshot: (nb) => Y.encodeStateAsUpdate(nb.doc),
    compactUpdates: 1_000_000, compactBytes: 1 << 30,
    ...(inlineBelow === undefined ? {} : { inlineBelow }),
  });
  logs.push(log);
  const doc = new Y.Doc();
  const first = Y.encodeStateAsUpdate(doc);
  store.notebooks.create({ id: 'nb', kind: 'free', ref: null, ownerHash: null, policy: { spectators: 'read', visitors: 'player', locked: false }, createdAt: 0 }, first);
  const nb: Nb = { rec: { id: 'nb' }, doc, nextSeq: 1, sinceCompact: { updates: 0, bytes: 0 }, logBytes: first.byteLength, compacting: false, dead: false };
  /** Applies a change to the live copy and queues what it produced (as the service does). */
  const edit = (change: (d: Y.Doc) => void): Promise<boolean> => {
    const got: Uint8Array[] = [];
    const on = (u: Uint8Array) => got.push(u);
    doc.on('update', on);
    change(doc);
    doc.off('update', on);
    return log.persist(nb, Y.mergeUpdates(got), null);
  };
  const rows = () => store.notebooks.updates('nb');
  const reloaded = () => {
    const d = new Y.Doc();
    for (const r of rows()) Y.applyUpdate(d, r.data);
    return d;
  };
  return { store, log, nb, doc, edit, rows, reloaded, stats };
}

/** Types `n` characters and deletes most of them again, one update per keystroke. */
async function typeAndErase(edit: (c: (d: Y.Doc) => void) => Promise<boolean>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    expect(await edit((d) => d.getText('t').insert(d.getText('t').length, 'the reaper waits for exit_mmap '[i % 31]!))).toBe(true);
    if (i % 3 === 2) expect(await edit((d) => d.getText('t').delete(d.getText('t').length - 2, 2))).toBe(true);
  }
}

describe('notebook update log compaction', () => {
  it('stores the document as it is: deleted text is not kept, and a reload is the same notebook', async () => {
    const { log, nb, doc, edit, rows, reloaded, stats } = setup();
    await typeAndErase(edit, 300);
    const merged = Y.mergeUpdates(rows().map((r) => r.data));
    expect(rows().length).toBeGreaterThan(300);
    await log.compact(nb);
    expect(stats.compactions).toBe(1);
    const after = rows();
    expect(after).toHaveLength(1);
    expect(after[0]!.seq).toBe(nb.nextSeq - 1);
    expect(after[0]!.data).toEqual(Y.encodeStateAsUpdate(doc));
    // A merge of the rows keeps every deleted character; the snapshot does not.
    expect(after[0]!.data.byteLength).toBeLessThan(merged.byteLength * 0.8);
    expect(nb.logBytes).toBe(after[0]!.data.byteLength);
    expect(reloaded().getText('t').toString()).toBe(doc.getText('t').toString());
    expect(Y.encodeStateVector(reloaded())).toEqual(Y.encodeStateVector(doc));
    // Later rows follow the compacted one, and compacting a single row changes nothing.
    await typeAndErase(edit, 5);
    await log.compact(nb);
    await log.compact(nb);
    expect(rows()).toHaveLength(1);
    expect(stats.compactions).toBe(2);
    expect(reloaded().getText('t').toString()).toBe(doc.getText('t').toString());
  });

  it('commits what is still queued before it encodes the live copy', async () => {
    const { log, nb, doc, edit, rows, reloaded } = setup();
    await typeAndErase(edit, 10);
    const queued = edit((d) => d.getText('t').insert(0, 'queued: '));
    await log.compact(nb);
    expect(await queued).toBe(true);
    expect(rows()).toHaveLength(1);
    expect(reloaded().getText('t').toString()).toBe(doc.getText('t').toString());
    expect(doc.getText('t').toString().startsWith('queued: ')).toBe(true);
  });

  it('rebuilds a large log in the worker and keeps the rows appended meanwhile', async () => {
    const { log, nb, doc, edit, rows, reloaded, stats } = setup(0);
    await typeAndErase(edit, 60);
    const compacting = log.compact(nb);
    expect(nb.compacting).toBe(true);
    expect(await edit((d) => d.getText('t').insert(0, 'during: '))).toBe(true);
    await compacting;
    expect(stats.compactions).toBe(1);
    expect(rows()).toHaveLength(2);
    expect(reloaded().getText('t').toString()).toBe(doc.getText('t').toString());
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, rows()[0]!.data);
    expect(rows()[0]!.data.byteLength).toBe(Y.encodeStateAsUpdate(fresh).byteLength);
  });

  it('keeps what a log\'s rows leave pending (a gap in a writer\'s clock)', async () => {
    const { log, nb, store, rows } = setup(0);
    // Rows 1 and 3 of one writer, row 2 missing: only what integrates would lose row 3.
    const writer = new Y.Doc();
    const parts: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => parts.push(u));
    for (const s of ['one ', 'two ', 'three ']) writer.getText('t').insert(writer.getText('t').length, s);
    store.notebooks.append('nb', 1, parts[0]!);
    store.notebooks.append('nb', 2, parts[2]!);
    nb.nextSeq = 3;
    nb.sinceCompact = { updates: 2, bytes: parts[0]!.byteLength + parts[2]!.byteLength };
    await log.compact(nb);
    expect(rows()).toHaveLength(1);
    const d = new Y.Doc();
    Y.applyUpdate(d, rows()[0]!.data);
    Y.applyUpdate(d, parts[1]!);
    expect(d.getText('t').toString()).toBe('one two three ');
  });
});
