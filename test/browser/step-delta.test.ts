// Deltas in the browser, with Bo's websocket routed through the test. A page that misses one
// game:step delta asks for the whole view (game:sync) and ends on the same game as the page
// that stepped: the server's delta for version 3 never reaches Bo; the one for version 4 then
// does not follow his view, so his page resyncs once. And a delta that reaches a page before
// its join's answer is not lost: it is applied on the join's view.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { actorKey } from '../../client/lib/labels.js';
import { explore, isScenarioError, makeScenario } from '../../engine/index.js';
import { newPlayer, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser();

const status = (page: Page) => page.locator('rl-game .status');
const atStep = (page: Page, n: number) => status(page).filter({ hasText: `step ${n} ·` }).waitFor({ timeout: 10_000 });

/** A socket.io text frame's event name and payload (default namespace: `42[…]`, with an ack id: `42<id>[…]`). */
function eventOf(frame: string | Buffer): { name: string; payload: unknown } | null {
  if (typeof frame !== 'string') return null;
  const m = /^42\d*(\[.*)$/s.exec(frame);
  if (!m) return null;
  const [name, payload] = JSON.parse(m[1]!) as [string, unknown];
  return { name, payload };
}

/** Ada opens a room for rfc-v1 with no bots, so that she steps every actor herself (scheduler mode, the default). */
async function openRoom(ada: Page): Promise<string> {
  await ada.goto(`${env.server.url}/`);
  await ada.locator('[data-test="free-variant"]').selectOption('rfc-v1');
  await ada.locator('[data-test="free-config"]').selectOption('pgtable-heavy');
  await ada.locator('[data-test="free-start"]').click();
  await ada.locator('[data-room-code]').waitFor();
  const code = (await ada.locator('[data-room-code]').textContent())!.trim();
  for (const role of ['victim', 'reaper', 'allocator']) {
    await ada.locator(`select[data-bot-role="${role}"]`).selectOption('');
    await ada.locator(`select[data-bot-role="${role}"] option[value=""][selected]`).waitFor({ state: 'attached' });
  }
  return code;
}

function oopsTrace() {
  const scenario = makeScenario('rfc-v1', 'pgtable-heavy');
  if (isScenarioError(scenario)) throw new Error(scenario.message);
  const oops = explore(scenario).outcomes.oops;
  if (!oops.reachable) throw new Error('oops must be reachable in rfc-v1');
  return oops.trace;
}

describe('game:step deltas in the browser', () => {
  it('a page that missed a delta resyncs once and ends on the same game', async () => {
    const trace = oopsTrace();
    expect(trace.length).toBeGreaterThan(4);

    const ada = await newPlayer(env.browser, 'Ada');
    const bo = await newPlayer(env.browser, 'Bo');
    let dropped = 0;
    let deltas = 0;
    let syncs = 0;
    await bo.page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((frame) => {
        if (eventOf(frame)?.name === 'game:sync') syncs++;
        server.send(frame);
      });
      server.onMessage((frame) => {
        const e = eventOf(frame);
        if (e?.name === 'game:step') {
          deltas++;
          if ((e.payload as { version: number }).version === 3 && dropped === 0) {
            dropped++;
            return;
          }
        }
        ws.send(frame);
      });
    });

    const code = await openRoom(ada.page);
    await bo.page.goto(`${env.server.url}/r/${code}`);
    await atStep(bo.page, 0);

    for (const [i, a] of trace.entries()) {
      await atStep(ada.page, i);
      await ada.page.keyboard.press(actorKey(a.actor));
      await atStep(ada.page, i + 1);
      // Bo's page follows every step but the dropped one, which it gets back with the next.
      if (i + 1 !== 3) await atStep(bo.page, i + 1);
    }

    const last = trace.length;
    expect(dropped).toBe(1);
    expect(deltas).toBe(last);
    expect(syncs).toBe(1);
    expect(await status(bo.page).textContent()).toBe(await status(ada.page).textContent());
    await bo.page.locator('rl-outcome [role="dialog"]').waitFor();
    expect(await bo.page.locator('rl-outcome [role="dialog"] h2').textContent()).toContain('Kernel oops');
    expect(ada.errors).toEqual([]);
    expect(bo.errors).toEqual([]);
  });
  it('a delta that arrives before the join is answered is applied on the join\'s view', async () => {
    const trace = oopsTrace();
    const ada = await newPlayer(env.browser, 'Ada');
    const bo = await newPlayer(env.browser, 'Bo');
    // Bo's join answer is held until the next delta has gone to his page: the delta comes first.
    let joinId: string | null = null;
    let held: string | null = null;
    let state: 'waiting' | 'holding' | 'released' = 'waiting';
    let syncs = 0;
    await bo.page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((frame) => {
        if (typeof frame === 'string') joinId ??= /^42(\d+)\["room:join"/.exec(frame)?.[1] ?? null;
        if (eventOf(frame)?.name === 'game:sync') syncs++;
        server.send(frame);
      });
      server.onMessage((frame) => {
        if (state === 'waiting' && joinId !== null && typeof frame === 'string' && frame.startsWith(`43${joinId}[`)) {
          held = frame;
          state = 'holding';
          return;
        }
        ws.send(frame);
        if (state === 'holding' && eventOf(frame)?.name === 'game:step') {
          ws.send(held!);
          state = 'released';
        }
      });
    });

    const code = await openRoom(ada.page);
    await ada.page.keyboard.press(actorKey(trace[0]!.actor));
    await atStep(ada.page, 1);
    await bo.page.goto(`${env.server.url}/r/${code}`);
    await expect.poll(() => state).toBe('holding');
    await ada.page.keyboard.press(actorKey(trace[1]!.actor));
    await atStep(ada.page, 2);
    await expect.poll(() => state).toBe('released');
    // No further step: Bo's page shows step 2 from the early delta alone, without a resync.
    await atStep(bo.page, 2);
    expect(syncs).toBe(0);
    expect(await status(bo.page).textContent()).toBe(await status(ada.page).textContent());
    expect(ada.errors).toEqual([]);
    expect(bo.errors).toEqual([]);
  });
});
