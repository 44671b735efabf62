// "My runs and notebooks": a learner finishes a run, the result dialog says where it was
// saved, the page lists the room and the run, and the recovery link moves it all to a
// second browser, where "Back to the room" gets the same player back. A notebook invite
// opened without a name asks for one first.
import { describe, expect, it } from 'vitest';
import { explore, type Scenario } from '../../engine/index.js';
import { actorKey } from '../../client/lib/labels.js';
import { newPlayer, screenshot, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser();

describe('my runs and notebooks', () => {
  it('lists this browser\'s runs, and the recovery link moves them to another browser', async () => {
    const id = 'rfc-v1-boot-crash';
    const scenario = ((await (await fetch(`${env.server.url}/api/lessons/${id}`)).json()) as { data: { scenario: Scenario } }).data.scenario;
    const oops = explore(scenario).outcomes.oops;
    if (!oops.reachable) throw new Error('the lesson hunts an oops');
    const dana = await newPlayer(env.browser, 'Dana');
    await dana.page.goto(`${env.server.url}/#/lesson/${id}`);
    await dana.page.locator('rl-game [data-room-code]').waitFor();
    const code = /#\/room\/([A-Z0-9]+)$/.exec(dana.page.url())![1]!;
    for (const [i, a] of oops.trace.entries()) {
      await dana.page.locator('rl-game .status', { hasText: `step ${i} ·` }).waitFor();
      await dana.page.keyboard.press(actorKey(a.actor));
    }
    const saved = dana.page.locator('rl-outcome [data-test="run-saved"]');
    await saved.waitFor();
    expect(await saved.textContent()).toContain(`notebook of room ${code}`);
    expect(await saved.locator('a', { hasText: 'My runs and notebooks' }).getAttribute('href')).toBe('#/mine');
    await saved.locator('a', { hasText: 'My runs and notebooks' }).click();

    const room = dana.page.locator(`rl-mine li[data-room="${code}"]`);
    await room.locator('tr[data-trace]').first().waitFor();
    const row = room.locator('tr[data-trace]').first();
    expect(await row.textContent()).toMatch(/Kernel oops|Oops/i);
    expect(await row.textContent()).toContain('played');
    expect(await row.locator('a', { hasText: 'Replay' }).getAttribute('href')).toMatch(/^#\/replay\/rfc-v1\//);
    await dana.page.locator('rl-mine [data-test="show-recovery"]').click();
    const link = (await dana.page.locator('rl-mine [data-test="recovery-link"]').textContent())!.trim();
    expect(link).toMatch(new RegExp(`^${env.server.url.replace(/\./g, '\\.')}/#/mine/restore/[A-Za-z0-9_-]+$`));
    await screenshot(dana.page, 'mine-page', true);

    // A notebook invite in a browser without a name asks for one.
    const guest = await newPlayer(env.browser);
    await guest.page.goto(`${env.server.url}/#/notebook/room-${code}`);
    await guest.page.locator('rl-notebook #nb-name').fill('Gus');
    await guest.page.getByRole('button', { name: 'Open the notebook' }).click();
    await guest.page.locator('rl-notebook rl-nb-trace').first().waitFor();
    expect(await guest.page.evaluate(() => localStorage.getItem('reaplab.name'))).toBe('Gus');

    // The second browser takes the recovery link: same rooms, same seat.
    const other = await newPlayer(env.browser);
    await other.page.goto(link);
    await other.page.locator('rl-mine [data-test="restore"]').click();
    await other.page.locator(`rl-mine li[data-room="${code}"] tr[data-trace]`).first().waitFor();
    expect(await other.page.evaluate(() => localStorage.getItem('reaplab.name'))).toBe('Dana');
    await dana.page.close();
    await other.page.locator(`rl-mine li[data-room="${code}"]`).getByRole('button', { name: 'Back to the room' }).click();
    await other.page.locator('rl-game [data-room-code]').waitFor();
    await other.page.locator('rl-game', { hasText: 'Dana' }).first().waitFor();
    const players = await (await fetch(`${env.server.url}/api/rooms/${code}/traces`)).json() as { data: unknown[] };
    expect(players.data.length).toBe(1);
    expect([...dana.errors, ...guest.errors, ...other.errors]).toEqual([]);
    await Promise.all([dana.context.close(), guest.context.close(), other.context.close()]);
  }, 90_000);
});
