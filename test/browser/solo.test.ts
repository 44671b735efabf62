// A solo learner on the campaign: a scheduler-mode lesson won with the keyboard alone
// (one key per actor), with a hint revealed and the win recorded on the campaign page;
// and a lesson whose solo seat is an actor, played in race mode against the lesson's bots.
import { describe, expect, it } from 'vitest';
import { explore, type Scenario } from '../../engine/index.js';
import { actorKey } from '../../client/lib/labels.js';
import { newPlayer, screenshot, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser();

async function lessonScenario(id: string): Promise<Scenario> {
  const res = await fetch(`${env.server.url}/api/lessons/${id}`);
  const body = (await res.json()) as { ok: boolean; data: { scenario: Scenario } };
  expect(body.ok).toBe(true);
  return body.data.scenario;
}

describe('a solo learner', () => {
  it('wins a scheduler-mode lesson with the keyboard, and the campaign remembers', async () => {
    const id = 'rfc-v1-boot-crash';
    const oops = explore(await lessonScenario(id)).outcomes.oops;
    if (!oops.reachable) throw new Error('the lesson hunts an oops');
    const { page, errors } = await newPlayer(env.browser, 'Dana');
    await page.goto(`${env.server.url}/#/campaign`);
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

    const focused = () => page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.textContent?.trim() ?? '';
    });
    let before = '';
    for (const [i, a] of oops.trace.entries()) {
      await page.locator('rl-game .status', { hasText: `step ${i} ·` }).waitFor();
      if (i === oops.trace.length - 1) before = await focused();
      await page.keyboard.press(actorKey(a.actor));
      if (i === 3) await screenshot(page, 'solo-lesson-midway');
    }
    const dialog = page.locator('rl-outcome [role="dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('.verdict').textContent()).toContain('Goal reached');
    expect(await dialog.textContent()).toContain('The lesson:');
    expect(await dialog.locator('.sources li').count()).toBeGreaterThan(0);
    await screenshot(page, 'solo-lesson-won');

    // A real modal: focus starts inside, Tab and Shift+Tab never leave it, Esc closes it and
    // focus comes back to where it was when the run ended.
    const inDialog = () => page.evaluate(() => {
      let el: Element | null = document.activeElement;
      const path: Element[] = [];
      while (el) { path.push(el); el = el.shadowRoot?.activeElement ?? null; }
      return path.some((e) => e.tagName === 'RL-OUTCOME') && path.at(-1)!.closest('dialog') !== null;
    });
    expect(await inDialog()).toBe(true);
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
      expect(await inDialog(), `after ${i + 1} presses`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(before).not.toBe('');
    expect(await focused()).toBe(before);
    await page.getByRole('button', { name: 'Show what happened' }).click();
    await dialog.waitFor();

    // Undo is there for the solo player: take back the oops and look at the board.
    await dialog.getByRole('button', { name: 'Look at the board' }).click();
    await page.keyboard.press('U');
    await page.locator('rl-game .status', { hasText: `step ${oops.trace.length - 1} ·` }).waitFor();

    await page.goto(`${env.server.url}/#/campaign`);
    await page.locator(`li.done[data-lesson="${id}"]`).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('plays the solo seat of the lesson, the allocator, against its bots in race mode', async () => {
    const { page, errors } = await newPlayer(env.browser, 'Eli');
    await page.goto(`${env.server.url}/#/campaign`);
    await page.locator('[data-lesson="rfc-starved-exit"] .chip', { hasText: 'you play the Allocator against bots' }).waitFor();
    await page.locator('[data-lesson="rfc-starved-exit"] a.button').click();
    await page.locator('rl-game [data-room-code]').waitFor();
    const panel = (actor: string) => page.locator(`rl-actor-panel[data-actor="${actor}"]`);
    // The learner sits in the allocator's seat, in race mode, and is the host.
    await panel('allocator').locator('.chip', { hasText: 'you' }).waitFor();
    await page.locator('rl-game .seg button[aria-pressed="true"]', { hasText: 'Race' }).waitFor();
    await page.locator('rl-game section.players .host').waitFor();
    // The lesson's bots play the victim (lazy: only when nobody else can move) and the reaper (random).
    await panel('victim').locator('.chip', { hasText: 'bot: lazy' }).waitFor();
    await panel('reaper').locator('.chip', { hasText: 'bot: random' }).waitFor();
    expect(await panel('victim').locator('button.step').isDisabled()).toBe(true);
    await screenshot(page, 'solo-actor-vs-bots-start');

    const dialog = page.locator('rl-outcome [role="dialog"]');
    const until = Date.now() + 30_000;
    while (!(await dialog.isVisible())) {
      if (Date.now() > until) throw new Error('the run did not end within 30 s');
      const button = panel('allocator').locator('button.step');
      if (await button.isEnabled().catch(() => false)) await button.click().catch(() => {});
      await page.waitForTimeout(40);
    }
    expect(await dialog.locator('.verdict').textContent()).toMatch(/^Goal (not )?reached$/);
    await screenshot(page, 'solo-actor-vs-bots-end');
    // The interleaving has the bots' steps and the learner's allocator steps.
    const lanes = await page.locator('rl-transcript li').allTextContents();
    expect(lanes.some((l) => l.startsWith('Victim') || l.startsWith('OOM reaper'))).toBe(true);
    expect(lanes.some((l) => l.startsWith('Allocator'))).toBe(true);
    // A step that lost the race to a bot is a note (info), never an error.
    expect(await page.locator('rl-toasts .toast.error').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
