// Holds idle socket.io connections for bench:cluster in a process of its own (so that the
// load generator's memory and event loop stay out of the figures): opens N websocket
// connections to URL in batches, prints "HELD n" when they are all open, and keeps them
// until it is sent SIGTERM.
//
// tsx bench/cluster/hold.ts URL N

import { connectOne } from './load.js';

const [url, count] = [process.argv[2]!, Number(process.argv[3])];
const sockets: { disconnect(): void }[] = [];
let failed = 0;
for (let i = 0; i < count; i += 250) {
  const batch = await Promise.allSettled(Array.from({ length: Math.min(250, count - i) }, () => connectOne(url)));
  for (const b of batch) {
    if (b.status === 'fulfilled') sockets.push(b.value);
    else failed++;
  }
}
process.stdout.write(`HELD ${sockets.length} ${failed}\n`);
process.on('SIGTERM', () => {
  for (const s of sockets) s.disconnect();
  process.exit(0);
});
setInterval(() => {}, 1 << 30);
