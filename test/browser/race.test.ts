// Three browsers, one actor each, play rfc-v1 to the oops in race mode. The order of the
// clicks is the explorer's shortest trace to the oops: each step is clicked by the player
// who owns the actor, on their own step button, after their page has seen the last step.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { explore, isScenarioError, makeScenario } from '../../engine/index.js';
import { newPlayer, type Player, screenshot, useServerAndBrowser, waitEnabled } from './harness.js';

const env = useServerAndBrowser();

const panel = (page: Page, actor: string) => page.locator(`rl-actor-panel[data-actor="${actor}"]`);
const stepCount = (page: Page, n: number) => page.locator('rl-game .status', { hasText: `step ${n} ·` }).waitFor({ timeout: 10_000 });

describe('race mode with three players', () => {
  it('plays rfc-v1 to the oops, one actor per browser', async () => {
    const scenario = makeScenario('rfc-v1', 'pgtable-heavy');
    if (isScenarioError(scenario)) throw new Error(scenario.message);
    const oops = explore(scenario).outcomes.oops;
    if (!oops.reachable) throw new Error('oops must be reachable in rfc-v1');

    const ada = await newPlayer(env.browser, 'Ada');
    const bo = await newPlayer(env.browser, 'Bo');
    const cy = await newPlayer(env.browser, 'Cy');

    // Ada opens a room for the scenario, turns the bots off, switches to race and takes the allocator.
    await ada.page.goto(`${env.server.url}/`);
    await ada.page.locator('[data-test="free-variant"]').selectOption('rfc-v1');
    await ada.page.locator('[data-test="free-config"]').selectOption('pgtable-heavy');
    await ada.page.locator('[data-test="free-start"]').click();
    await ada.page.locator('[data-room-code]').waitFor();
    const code = (await ada.page.locator('[data-room-code]').textContent())!.trim();
    expect(code).toMatch(/^[A-Z0-9]{4,8}$/);
    for (const role of ['victim', 'reaper', 'allocator']) {
      await ada.page.locator(`select[data-bot-role="${role}"]`).selectOption('');
      await ada.page.locator(`select[data-bot-role="${role}"] option[value=""][selected]`).waitFor({ state: 'attached' });
    }
    await ada.page.getByRole('button', { name: 'Race', exact: true }).click();
    await ada.page.locator('rl-game .seg button[aria-pressed="true"]', { hasText: 'Race' }).waitFor();
    await panel(ada.page, 'allocator').getByRole('button', { name: 'Claim' }).click();
    await panel(ada.page, 'allocator').locator('.chip', { hasText: 'you' }).waitFor();

    // Bo joins with the code typed on the first screen; Cy opens the join link (/r/CODE).
    await bo.page.goto(`${env.server.url}/`);
    await bo.page.getByRole('textbox', { name: 'Room or class code' }).fill(code.toLowerCase());
    await bo.page.getByRole('button', { name: 'Join', exact: true }).click();
    await cy.page.goto(`${env.server.url}/r/${code}`);
    for (const [p, actor] of [[bo, 'victim'], [cy, 'reaper']] as [Player, string][]) {
      await panel(p.page, actor).getByRole('button', { name: 'Claim' }).click();
      await panel(p.page, actor).locator('.chip', { hasText: 'you' }).waitFor();
    }
    await screenshot(bo.page, 'race-joined-victim');

    // Nobody may step another player's actor: the button is disabled, and the key says why.
    expect(await panel(bo.page, 'allocator').locator('button.step').isDisabled()).toBe(true);
    await bo.page.keyboard.press('A');
    await bo.page.locator('rl-toasts .toast.error', { hasText: 'not your actor' }).waitFor();

    const owner: Record<string, Player> = { allocator: ada, victim: bo, reaper: cy };
    for (const [i, action] of oops.trace.entries()) {
      const p = owner[action.actor]!;
      await stepCount(p.page, i);
      const button = panel(p.page, action.actor).locator('button.step');
      await waitEnabled(button);
      await button.click();
      await stepCount(p.page, i + 1);
      if (i === 3) {
        // A reload mid-run loses nothing: the tab's token brings Bo back as the victim.
        await bo.page.reload();
        await panel(bo.page, 'victim').locator('.chip', { hasText: 'you' }).waitFor();
        await stepCount(bo.page, i + 1);
      }
    }

    for (const [name, p] of [['allocator', ada], ['victim', bo], ['reaper', cy]] as [string, Player][]) {
      const dialog = p.page.locator('rl-outcome [role="dialog"]');
      await dialog.waitFor();
      expect(await dialog.locator('h2').textContent()).toContain('Kernel oops');
      expect(await dialog.textContent()).toContain('NULL pointer dereference');
      await screenshot(p.page, `race-oops-${name}`);
      expect(p.errors).toEqual([]);
    }
    // Every page shows the same interleaving in its transcript.
    const transcript = await cy.page.locator('rl-transcript li').allTextContents();
    expect(transcript).toHaveLength(oops.trace.length);
    expect(transcript.at(-1)).toContain('Victim');
  }, 90_000);
});
