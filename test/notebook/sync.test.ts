// Two or more real clients over socket.io against a real server: concurrent edits of the
// same cell converge, an offline client's edits merge on reconnect, presence shows who is
// here, and what the server acknowledged is what it has on disk.

import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { insertCell, insertCells, readCells } from '../../protocol/notebook/doc.js';
import { NOTEBOOK_FRAME_MAX } from '../../protocol/notebook/events.js';
import { cells, openNotebook, startServer, textOf, until, type NbClient, type TestServer } from './helpers.js';

const created = (by: string) => ({ by, at: '2024-01-01T00:00:00.000Z', via: 'editor' as const });

let server: TestServer | null = null;
const open: NbClient[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  if (server) {
    await server.stop();
    server.cleanup();
    server = null;
  }
});

async function two(id = 'nb-sync-test') {
  server = await startServer();
  const a = await openNotebook(server.url, id, 'Ada', { color: '#0072b2' });
  const b = await openNotebook(server.url, id, 'Bob', { color: '#d55e00' });
  open.push(a, b);
  return { a, b };
}

describe('notebook sync', () => {
  it('two clients typing into the same cell at once converge, and the server holds the same text', async () => {
    const { a, b } = await two();
    insertCell(a.doc, { kind: 'markdown', text: 'race: ' }, created('Ada'));
    await until(() => cells(b.doc).length === 1, 'the cell to reach Bob');
    const ta = readCells(a.doc)[0]!;
    const tb = readCells(b.doc)[0]!;
    if (ta.kind !== 'markdown' || tb.kind !== 'markdown') throw new Error('not a markdown cell');
    // Interleaved keystrokes from both, without waiting for each other.
    for (let i = 0; i < 20; i++) {
      ta.text.insert(ta.text.length, 'a');
      tb.text.insert(6, 'b');
    }
    await a.provider.whenSaved();
    await b.provider.whenSaved();
    await until(() => textOf(a.doc) === textOf(b.doc) && textOf(a.doc).length === 46, 'both to converge');
    const text = textOf(a.doc);
    expect(text.startsWith('race: ')).toBe(true);
    expect([...text].filter((c) => c === 'a').length).toBe(21); // the 'a' of "race" and 20 typed
    expect([...text].filter((c) => c === 'b').length).toBe(20);
    const onServer = server!.app.notebooks!.service.peek('nb-sync-test')!;
    expect(textOf(onServer)).toBe(text);
  });

  it("an offline client's edits merge on reconnect", async () => {
    const { a, b } = await two('nb-offline');
    insertCell(a.doc, { kind: 'markdown', text: 'shared' }, created('Ada'));
    await until(() => cells(b.doc).length === 1, 'the cell to reach Bob');
    b.socket.disconnect();
    await until(() => b.provider.status === 'offline', 'Bob to be offline');
    // Bob edits offline: a new cell and a change to the shared one. Ada edits meanwhile.
    insertCell(b.doc, { kind: 'markdown', text: 'written on the train' }, created('Bob'));
    const sb = readCells(b.doc)[0]!;
    if (sb.kind === 'markdown') sb.text.insert(0, 'B:');
    const sa = readCells(a.doc)[0]!;
    if (sa.kind === 'markdown') sa.text.insert(sa.text.length, ':A');
    await a.provider.whenSaved();
    expect(cells(a.doc).length).toBe(1);
    b.socket.connect();
    await until(() => cells(a.doc).length === 2 && textOf(a.doc) === textOf(b.doc) && textOf(b.doc).includes(':A'), 'the offline edits to merge');
    await b.provider.whenSaved();
    expect(textOf(a.doc)).toBe('B:shared:A');
    expect(textOf(a.doc, 1)).toBe('written on the train');
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
  });

  it('shows who is here: names and colours, and their cursor cell; leaving removes them', async () => {
    const { a, b } = await two('nb-presence');
    insertCell(a.doc, { kind: 'markdown', text: 'x' }, created('Ada'));
    await until(() => cells(b.doc).length === 1, 'the cell');
    const cellId = cells(a.doc)[0]!.id;
    b.provider.setCursor({ cell: cellId });
    const others = () => [...a.provider.awareness.getStates().entries()].filter(([k]) => k !== a.doc.clientID).map(([, s]) => s as { user: { name: string; color: string }; cursor: { cell: string } | null });
    await until(() => others().some((s) => s.cursor?.cell === cellId), 'Bob\'s cursor to reach Ada');
    expect(others()[0]!.user).toEqual({ name: 'Bob', color: '#d55e00' });
    b.close();
    open.splice(open.indexOf(b), 1);
    await until(() => others().length === 0, 'Bob to leave');
  });

  it('a client id someone else owns is replaced: presence and edits follow the new id', async () => {
    server = await startServer();
    const a = await openNotebook(server.url, 'nb-taken-id', 'Ada', { color: '#0072b2' });
    open.push(a);
    const taken = a.doc.clientID;
    const doc = new Y.Doc();
    doc.clientID = taken;
    const b = await openNotebook(server.url, 'nb-taken-id', 'Bob', { color: '#d55e00', doc });
    open.push(b);
    expect(b.doc.clientID).not.toBe(taken);
    expect(b.provider.owned.has(b.doc.clientID)).toBe(true);
    expect(b.provider.awareness.clientID).toBe(b.doc.clientID);
    await until(() => (a.provider.awareness.getStates().get(b.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name === 'Bob', 'Bob\'s presence under his new id');
    insertCell(b.doc, { kind: 'markdown', text: 'mine' }, created('Bob'));
    await b.provider.whenSaved();
    expect(b.provider.error).toBeNull();
    await until(() => cells(a.doc).length === 1, 'Bob\'s cell to reach Ada');
  });

  it('a change larger than a frame travels in parts and is saved whole', async () => {
    const { a, b } = await two('nb-parts');
    const big = 'The reaper frees the page tables while exit_mmap() still walks them. '.repeat(40);
    insertCells(a.doc, Array.from({ length: 12 }, () => ({ spec: { kind: 'markdown' as const, text: big }, created: created('Ada') })));
    await a.provider.whenSaved();
    expect(a.provider.error).toBeNull();
    expect(big.length * 12).toBeGreaterThan(NOTEBOOK_FRAME_MAX * 2);
    await until(() => cells(b.doc).length === 12, 'the cells to reach Bob');
    expect(textOf(b.doc, 11)).toBe(big);
  });

  it('compacts the update log into one row, and a reload from it is the same notebook', async () => {
    server = await startServer({ notebooks: { compactUpdates: 25, idleUnloadMs: 20 } });
    const a = await openNotebook(server.url, 'nb-compact', 'Ada');
    open.push(a);
    insertCell(a.doc, { kind: 'markdown', text: '' }, created('Ada'));
    const c = readCells(a.doc)[0]!;
    if (c.kind !== 'markdown') throw new Error('not markdown');
    for (let i = 0; i < 60; i++) {
      c.text.insert(c.text.length, String.fromCharCode(97 + (i % 26)));
      if (i % 7 === 6) c.text.delete(c.text.length - 1, 1);
      await a.provider.whenSaved();
    }
    const rows = () => server!.store.notebooks.stats('nb-compact').rows;
    // Compaction ran during the typing (every 25 updates), and runs again when the notebook leaves memory.
    expect(rows()).toBeLessThan(60);
    const text = textOf(a.doc);
    a.close();
    open.splice(0);
    await until(() => server!.app.notebooks!.service.loadedNotebooks === 0, 'the notebook to leave memory');
    expect(rows()).toBe(1);
    const b = await openNotebook(server.url, 'nb-compact', 'Bob');
    open.push(b);
    expect(textOf(b.doc)).toBe(text);
  });
});

