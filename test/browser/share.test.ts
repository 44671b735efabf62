// A share link reproduces a run: a player finishes a run, copies the link from the
// end-of-run screen, and a second browser opens it and walks the same run step by step
// with the engine's replay(). (Every test page runs under a CSP stricter than the
// server's, see harness.ts.)
import { describe, expect, it } from 'vitest';
import { explore, isScenarioError, makeScenario } from '../../engine/index.js';
import { actorKey } from '../../client/lib/labels.js';
import { newPlayer, screenshot, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser();

describe('share links', () => {
  it('replays a finished run step by step in another browser', async () => {
    const scenario = makeScenario('rfc-v1', 'mlocked');
    if (isScenarioError(scenario)) throw new Error(scenario.message);
    const nk = explore(scenario).outcomes.needless_kill;
    const oops = explore(scenario).outcomes.oops;
    if (!nk.reachable || !oops.reachable) throw new Error('rfc-v1 × mlocked reaches both');

    const author = await newPlayer(env.browser, 'Fay');
    await author.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
    await author.page.goto(`${env.server.url}/#/play/rfc-v1/mlocked/scheduler`);
    await author.page.locator('rl-game [data-room-code]').waitFor();
    for (const [i, a] of oops.trace.entries()) {
      await author.page.locator('rl-game .status', { hasText: `step ${i} ·` }).waitFor();
      await author.page.keyboard.press(actorKey(a.actor));
    }
    const dialog = author.page.locator('rl-outcome [role="dialog"]');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Copy a link to this run' }).click();
    await author.page.locator('rl-toasts .toast.success').waitFor();
    const link = await author.page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/\/#\/replay\/rfc-v1\/mlocked\/a\.A1,a\.A2,v\.mmput/);

    const viewer = await newPlayer(env.browser);
    await viewer.page.goto(link);
    const replay = viewer.page.locator('rl-replay');
    await replay.locator('output', { hasText: `step ${oops.trace.length} of ${oops.trace.length}` }).waitFor();
    expect(await replay.locator('.top').textContent()).toContain('ends in Kernel oops');
    await screenshot(viewer.page, 'share-replay-end');

    await viewer.page.keyboard.press('Home');
    await replay.locator('output', { hasText: `step 0 of ${oops.trace.length}` }).waitFor();
    expect(await replay.locator('rl-transcript li').count()).toBe(0);
    await viewer.page.keyboard.press('ArrowRight');
    await viewer.page.keyboard.press('ArrowRight');
    await replay.locator('output', { hasText: `step 2 of ${oops.trace.length}` }).waitFor();
    expect(await replay.locator('rl-transcript li').count()).toBe(2);
    expect(await replay.locator('rl-state-view .wrap').textContent()).toContain('victim: killed, exiting');
    await replay.getByRole('slider', { name: 'Step' }).fill('5');
    await replay.locator('output', { hasText: `step 5 of ${oops.trace.length}` }).waitFor();
    await screenshot(viewer.page, 'share-replay-step5');

    expect(viewer.errors).toEqual([]);
    expect(author.errors).toEqual([]);
  }, 60_000);

  it('explains a damaged link instead of failing', async () => {
    const { page } = await newPlayer(env.browser);
    await page.goto(`${env.server.url}/#/replay/rfc-v1/pgtable-heavy/a.A1,q.zzz`);
    await page.getByRole('alert').filter({ hasText: 'damaged step' }).waitFor();
  }, 20_000);
});
