// Builds a scenario's state graph off the event loop (see ./graph-builder.ts): the engine's
// buildGraphParts, run as it is, one request at a time. The graph's typed arrays are
// transferred back, not copied. Plain JavaScript that loads the engine through tsx, so
// that node --import tsx, tsx and vitest all run it as it is.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { buildGraphParts, graphArrays } = await tsImport('../engine/graph.ts', import.meta.url);

parentPort.on('message', (msg) => {
  try {
    const parts = buildGraphParts(msg.scenario, msg.maxStates);
    const buffers = [...new Set(graphArrays(parts).map((a) => a.buffer))];
    parentPort.postMessage({ id: msg.id, parts }, buffers);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort.postMessage({ ready: true });
