// Moving between screens without reloading: notebook, room, campaign and a class dashboard,
// every ordered pair once (a walk through all twelve), in one tab. Each screen must work when
// reached from each other one, the page keeps one WebSocket for all of them (the notebook
// used to close it on its way out, and the next screen waited forever), and focus lands on
// the new screen's heading.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPlayer, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser();

type Screen = 'notebook' | 'room' | 'campaign' | 'class';
/** Every ordered pair of the four screens exactly once: N→R→C→K→N→C→R→K→C→N→K→R→N. */
const WALK: Screen[] = ['notebook', 'room', 'campaign', 'class', 'notebook', 'campaign', 'room', 'class', 'campaign', 'notebook', 'class', 'room', 'notebook'];

async function go(page: Page, hash: string): Promise<void> {
  // A link click, as a player would: the hash changes, the page does not reload.
  await page.evaluate((h) => {
    const a = document.createElement('a');
    a.href = h;
    document.body.append(a);
    a.click();
    a.remove();
  }, hash);
}

/** The focused heading's text once focus is on one (the app moves it there on the next frames), else what has focus after 5 s. */
async function focusedHeading(page: Page): Promise<string> {
  const handle = await page.waitForFunction(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el && /^H[1-2]$/.test(el.tagName) ? (el.textContent ?? '').trim() : null;
  }, undefined, { timeout: 5000, polling: 'raf' }).catch(() => null);
  if (handle) return (await handle.jsonValue()) as string;
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return `not a heading: ${el?.tagName ?? 'none'}`;
  });
}

describe('moving between screens without a reload', () => {
  it('walks every pair of notebook, room, campaign and class in both orders on one connection', async () => {
    const { page, errors } = await newPlayer(env.browser, 'Walker');
    const sockets: { url: string; closed: boolean }[] = [];
    page.on('websocket', (ws) => {
      const s = { url: ws.url(), closed: false };
      sockets.push(s);
      ws.on('close', () => { s.closed = true; });
    });

    // A class opened by this browser (its dashboard is the class screen) and a room to come back to.
    await page.goto(`${env.server.url}/#/teach`);
    await page.locator('[data-test="class-lesson"]').waitFor();
    await page.locator('[data-test="open-class"]').click();
    await page.locator('[data-class-code]').waitFor();
    const klass = (await page.locator('[data-class-code]').textContent())!.trim();
    await go(page, '#/play/rfc-v1/pgtable-heavy/scheduler');
    await page.locator('rl-game [data-room-code]').waitFor();
    const room = (await page.locator('rl-game [data-room-code]').textContent())!.trim();
    await page.keyboard.press('A');
    await page.locator('rl-game .status', { hasText: 'step 1 ·' }).waitFor();
    const loadedAt = await page.evaluate(() => performance.timeOrigin);

    const visit: Record<Screen, () => Promise<void>> = {
      notebook: async () => {
        await go(page, `#/notebook/room-${room}`);
        await page.locator('rl-notebook .status', { hasText: 'All changes saved' }).waitFor();
        await page.locator('rl-notebook .chip.kind', { hasText: `Room ${room}` }).waitFor();
      },
      room: async () => {
        await go(page, `#/room/${room}`);
        // The same player is back in the same room, the step taken before still there.
        await page.locator('rl-game .status', { hasText: 'step 1 ·' }).waitFor();
        await page.locator('rl-game section.players li', { hasText: 'Walker (you)' }).waitFor();
      },
      campaign: async () => {
        await go(page, '#/campaign');
        await page.locator('rl-campaign [data-lesson]').first().waitFor();
      },
      class: async () => {
        await go(page, `#/class/${klass}/teach`);
        await page.locator('rl-class-dashboard [data-class-code]', { hasText: klass }).waitFor();
        await page.locator('rl-class-dashboard', { hasText: 'live' }).waitFor();
      },
    };
    const pairs = new Set<string>();
    for (const [i, screen] of WALK.entries()) {
      await visit[screen]();
      if (i > 0) pairs.add(`${WALK[i - 1]}→${screen}`);
      expect(await focusedHeading(page), `focus after ${WALK[i - 1]}→${screen}`).not.toMatch(/^not a heading/);
    }
    expect(pairs.size).toBe(12);

    // "Play it into the notebook" from the class notebook opens a room for the lesson.
    await go(page, `#/notebook/class-${klass}`);
    await page.locator('rl-notebook .status', { hasText: 'All changes saved' }).waitFor();
    await page.getByRole('combobox', { name: 'A lesson' }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Play it into the notebook' }).click();
    await page.locator('rl-game [data-room-code]').waitFor();
    await page.locator('rl-game .status', { hasText: 'step 0 ·' }).waitFor();

    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loadedAt);
    const live = sockets.filter((s) => s.url.includes('/socket.io/'));
    expect(live.length, live.map((s) => s.url).join('\n')).toBe(1);
    expect(live[0]!.closed).toBe(false);
    expect(errors).toEqual([]);
  }, 90_000);
});
