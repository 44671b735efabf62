// Compaction off the event loop: merges a notebook's update log with Y.mergeUpdates in a
// worker thread, so a large notebook's compaction never stalls the sync path. Plain
// JavaScript so that node, tsx and vitest all run it as it is.
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

parentPort.on('message', (msg) => {
  try {
    const merged = Y.mergeUpdates(msg.updates);
    parentPort.postMessage({ id: msg.id, merged });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
