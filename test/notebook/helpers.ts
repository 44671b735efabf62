// Notebook test harness: the game server's test harness (test/server/helpers.ts) plus
// notebook clients — a Y.Doc with the real NotebookProvider over a real socket.io
// connection — and waits on explicit conditions instead of sleeps.

import { io as ioClient } from 'socket.io-client';
import * as Y from 'yjs';
import { NotebookProvider, type NotebookSocket } from '../../client/notebook/provider.js';
import { readCells, type CellView } from '../../protocol/notebook/doc.js';
import type { NotebookAck, NotebookCredential } from '../../protocol/notebook/events.js';
import { NOTEBOOK_NAMESPACE } from '../../protocol/notebook/events.js';

export { connect, ok, shortestTrace, startServer, type TestServer } from '../server/helpers.js';

export interface NbClient {
  doc: Y.Doc;
  provider: NotebookProvider;
  socket: NotebookSocket;
  close(): void;
}

export function nbSocket(url: string, reconnection = false): NotebookSocket {
  return ioClient(`${url}${NOTEBOOK_NAMESPACE}`, { transports: ['websocket'], reconnection, forceNew: true, autoConnect: false }) as NotebookSocket;
}

export async function openNotebook(url: string, id: string, name: string, opts: { credential?: NotebookCredential; color?: string; doc?: Y.Doc; socket?: NotebookSocket } = {}): Promise<NbClient> {
  const socket = opts.socket ?? nbSocket(url);
  const doc = opts.doc ?? new Y.Doc();
  const provider = new NotebookProvider({
    id, doc, socket, name, color: opts.color ?? '#0072b2',
    ...(opts.credential ? { credential: () => opts.credential } : {}),
    ackTimeoutMs: 5000,
  });
  await until(() => provider.synced || provider.status === 'failed', `notebook ${id} to sync`);
  if (provider.status === 'failed') throw new Error(`join failed: ${provider.error?.code} ${provider.error?.message}`);
  return {
    doc, provider, socket,
    close() {
      provider.destroy();
      socket.disconnect();
    },
  };
}

/** Resolves once `pred` holds (polled on a short interval; fails after 10 s with `what`). */
export function until(pred: () => boolean, what = 'condition', ms = 10_000): Promise<void> {
  if (pred()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const t = setInterval(() => {
      if (pred()) {
        clearInterval(t);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(t);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 5);
  });
}

export function cells(doc: Y.Doc): CellView[] {
  return readCells(doc);
}

export function textOf(doc: Y.Doc, i = 0): string {
  const c = readCells(doc)[i];
  if (!c) throw new Error(`no cell ${i}`);
  return c.kind === 'markdown' ? c.text.toString() : c.notes.toString();
}

/** Emits a raw notebook event and resolves with the ack. */
export function rawEmit(socket: NotebookSocket, event: string, payload: unknown): Promise<NotebookAck<unknown>> {
  return new Promise((resolve) => {
    (socket.emit as unknown as (e: string, p: unknown, cb: (r: NotebookAck<unknown>) => void) => void)(event, payload, resolve);
  });
}

/** The data of a successful notebook ack (throws with the code otherwise). */
export function accepted<T>(r: NotebookAck<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.data;
}
