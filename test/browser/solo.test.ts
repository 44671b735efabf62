// A solo learner on the campaign: a scheduler-mode lesson won with the keyboard alone
// (one key per actor), with a hint revealed and the win recorded on the campaign page;
// and a race-mode lesson won against the lesson's bots, stepping only the allocator.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explore, type Scenario } from '../../engine/index.js';
import { actorKey } from '../../client/lib/labels.js';
import { ensureClientBuilt, launchBrowser, newPlayer, screenshot, startServer, type TestServer } from './harness.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureClientBuilt();
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function lessonScenario(id: string): Promise<Scenario> {
  const res = await fetch(`${server.url}/api/lessons/${id}`);
  const body = (await res.json()) as { ok: boolean; data: { scenario: Scenario } };
  expect(body.ok).toBe(true);
  return body.data.scenario;
}

describe('a solo learner', () => {
  it('wins a scheduler-mode lesson with the keyboard, and the campaign remembers', async () => {
    const id = 'rfc-v1-boot-crash';
    const oops = explore(await lessonScenario(id)).outcomes.oops;
    if (!oops.reachable) throw new Error('the lesson hunts an oops');
    const { page, errors } = await newPlayer(browser, 'Dana');
    await page.goto(`${server.url}/#/campaign`);
    await page.locator(`[data-lesson="${id}"] a.button`).click();
    await page.locator('rl-game [data-room-code]').waitFor();
    expect(page.url()).toMatch(/#\/room\/[A-Z0-9]{4,8}$/);
    await page.locator('rl-lesson-panel .goal').waitFor();
    expect(await page.locator('rl-lesson-panel .goal').textContent()).toContain('Crash the kernel');
    await page.getByRole('button', { name: /Show a hint/ }).click();
    await page.locator('rl-lesson-panel .hint').first().waitFor();
    await screenshot(page, 'solo-lesson-start');

    // A blocked actor's key explains itself instead of doing nothing.
    await page.keyboard.press('R');
    await page.locator('rl-toasts .toast.error', { hasText: 'cannot step now' }).waitFor();

    for (const [i, a] of oops.trace.entries()) {
      await page.locator('rl-game .status', { hasText: `step ${i} ·` }).waitFor();
      await page.keyboard.press(actorKey(a.actor));
      if (i === 3) await screenshot(page, 'solo-lesson-midway');
    }
    const dialog = page.locator('rl-outcome [role="dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('.verdict').textContent()).toContain('Goal reached');
    expect(await dialog.textContent()).toContain('The lesson:');
    expect(await dialog.locator('.sources li').count()).toBeGreaterThan(0);
    await screenshot(page, 'solo-lesson-won');

    // Undo is there for the solo player: take back the oops and look at the board.
    await dialog.getByRole('button', { name: 'Look at the board' }).click();
    await page.keyboard.press('U');
    await page.locator('rl-game .status', { hasText: `step ${oops.trace.length - 1} ·` }).waitFor();

    await page.goto(`${server.url}/#/campaign`);
    await page.locator(`li.done[data-lesson="${id}"]`).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('wins a race-mode lesson against the bots, stepping only the allocator', async () => {
    const { page, errors } = await newPlayer(browser, 'Eli');
    await page.goto(`${server.url}/#/lesson/rfc-final-no-lockup`);
    await page.locator('rl-game [data-room-code]').waitFor();
    const allocator = page.locator('rl-actor-panel[data-actor="allocator"]');
    await allocator.getByRole('button', { name: 'Claim' }).click();
    await allocator.locator('.chip', { hasText: 'you' }).waitFor();
    const dialog = page.locator('rl-outcome [role="dialog"]');
    const until = Date.now() + 30_000;
    while (!(await dialog.isVisible())) {
      if (Date.now() > until) throw new Error('the run did not end within 30 s');
      const button = allocator.locator('button.step');
      if (await button.isEnabled().catch(() => false)) await button.click().catch(() => {});
      await page.waitForTimeout(40);
    }
    expect(await dialog.locator('.verdict').textContent()).toContain('Goal reached');
    await screenshot(page, 'solo-race-vs-bots');
    // The swimlanes show steps taken by the bots as well as by the player.
    const lanes = await page.locator('rl-transcript li').allTextContents();
    expect(lanes.some((l) => l.startsWith('Victim') || l.startsWith('OOM reaper'))).toBe(true);
    expect(lanes.some((l) => l.startsWith('Allocator'))).toBe(true);
    // Stale-version rejections are expected when a bot moves first; nothing else may fail.
    expect(errors).toEqual([]);
  }, 60_000);
});
