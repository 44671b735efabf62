// A browser that misses one game:step delta asks for the whole view (game:sync) and ends on
// the same game as the browser that stepped. Bo's websocket is routed through the test: the
// server's delta for version 3 never reaches his page; the delta for version 4 then does not
// follow his view, so his page resyncs once and shows every later step.
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

describe('game:step deltas in the browser', () => {
  it('a page that missed a delta resyncs once and ends on the same game', async () => {
    const scenario = makeScenario('rfc-v1', 'pgtable-heavy');
    if (isScenarioError(scenario)) throw new Error(scenario.message);
    const oops = explore(scenario).outcomes.oops;
    if (!oops.reachable) throw new Error('oops must be reachable in rfc-v1');
    expect(oops.trace.length).toBeGreaterThan(4);

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

    // Ada opens a room with no bots and steps every actor herself (scheduler mode, the default).
    await ada.page.goto(`${env.server.url}/`);
    await ada.page.locator('[data-test="free-variant"]').selectOption('rfc-v1');
    await ada.page.locator('[data-test="free-config"]').selectOption('pgtable-heavy');
    await ada.page.locator('[data-test="free-start"]').click();
    await ada.page.locator('[data-room-code]').waitFor();
    const code = (await ada.page.locator('[data-room-code]').textContent())!.trim();
    for (const role of ['victim', 'reaper', 'allocator']) {
      await ada.page.locator(`select[data-bot-role="${role}"]`).selectOption('');
      await ada.page.locator(`select[data-bot-role="${role}"] option[value=""][selected]`).waitFor({ state: 'attached' });
    }

    await bo.page.goto(`${env.server.url}/r/${code}`);
    await atStep(bo.page, 0);

    for (const [i, a] of oops.trace.entries()) {
      await atStep(ada.page, i);
      await ada.page.keyboard.press(actorKey(a.actor));
      await atStep(ada.page, i + 1);
      // Bo's page follows every step but the dropped one, which it gets back with the next.
      if (i + 1 !== 3) await atStep(bo.page, i + 1);
    }

    const last = oops.trace.length;
    expect(dropped).toBe(1);
    expect(deltas).toBe(last);
    expect(syncs).toBe(1);
    expect(await status(bo.page).textContent()).toBe(await status(ada.page).textContent());
    await bo.page.locator('rl-outcome [role="dialog"]').waitFor();
    expect(await bo.page.locator('rl-outcome [role="dialog"] h2').textContent()).toContain('Kernel oops');
    expect(ada.errors).toEqual([]);
    expect(bo.errors).toEqual([]);
  });
});
