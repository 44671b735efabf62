// Compaction of a large notebook off the event loop: rebuilds the document from its update
// log in a worker thread and encodes it as one update (see ./compactor.ts). Plain
// JavaScript so that node, tsx and vitest all run it as it is.
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

/** The document the log makes, as one update (Yjs adds what it holds pending, so nothing is lost). */
function rebuild(updates) {
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const u of updates) Y.applyUpdate(doc, u);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

parentPort.on('message', (msg) => {
  try {
    parentPort.postMessage({ id: msg.id, merged: rebuild(msg.updates) });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
