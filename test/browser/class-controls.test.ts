// A class run from two devices: the teacher opens it on a laptop and the dashboard on a
// second browser (the projector PC) through the teacher link; six students join in two
// rooms. A student who hosts a room tries its controls and is refused with the reason in
// words; the teacher pauses (every student sees it, their steps are refused), resumes,
// moves a student to the other room (their page follows), and stops: every student sees
// the stop at once and their controls go inert.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPlayer, type Player, screenshot, useServerAndBrowser, waitEnabled } from './harness.js';

const env = useServerAndBrowser();

/** The actor this page plays ("you" on its panel), or null when it watches. */
async function myActor(page: Page): Promise<string | null> {
  const panel = page.locator('rl-actor-panel', { has: page.locator('.chip', { hasText: 'you' }) });
  return (await panel.count()) === 1 ? panel.getAttribute('data-actor') : null;
}

const roomOf = async (p: Player) => (await p.page.locator('rl-game [data-room-code]').textContent())!.trim();

describe('a class run from any device', () => {
  it('teacher link on a second browser; six students; refused host action; pause, resume, move, stop', async () => {
    const laptop = await newPlayer(env.browser, 'Ms Lee');
    await laptop.page.goto(`${env.server.url}/#/teach`);
    await laptop.page.locator('[data-test="class-lesson"]').waitFor();
    await laptop.page.locator('[data-test="open-class"]').click();
    await laptop.page.locator('[data-class-code]').waitFor();
    const code = (await laptop.page.locator('[data-class-code]').textContent())!.trim();
    await laptop.page.locator('[data-test="show-teacher-link"]').click();
    const link = (await laptop.page.locator('rl-teacher-link [data-test="teacher-link"]').textContent())!.trim();
    await laptop.page.locator('rl-teacher-link button.close').click();

    // The projector PC opens the dashboard through the teacher link, in the projector theme.
    const projector = await newPlayer(env.browser);
    await projector.page.setViewportSize({ width: 1600, height: 1000 });
    await projector.page.goto(link.replace('/#/', '/?theme=projector#/'));
    await projector.page.locator('[data-class-code]', { hasText: code }).waitFor();
    const board = projector.page;

    // Six students, two rooms of three.
    const students: Player[] = [];
    for (const name of ['Ana', 'Ben', 'Cai', 'Dee', 'Eli', 'Fay']) {
      const s = await newPlayer(env.browser);
      students.push(s);
      await s.page.goto(`${env.server.url}/c/${code}`);
      await s.page.getByLabel('Your name').fill(name);
      await s.page.locator('[data-test="join-class"]').click();
      await s.page.locator('rl-game [data-room-code]').waitFor();
    }
    const rooms = await Promise.all(students.map(roomOf));
    const [room1, room2] = [rooms[0]!, rooms[3]!];
    expect(rooms).toEqual([room1, room1, room1, room2, room2, room2]);
    for (const r of [room1, room2]) await board.locator(`[data-room="${r}"] .seats .name`).nth(2).waitFor();
    // Everyone is connected (whether they count as playing or idle depends on how long the joins took).
    await board.locator('[data-test="activity"]', { hasText: '0 away' }).waitFor();

    // Someone in room 1 steps; Ana hosts room 1 but the teacher holds its controls: Restart is refused, in words.
    const room1Students = students.slice(0, 3);
    let stepped = false;
    for (const s of room1Students) {
      const actor = await myActor(s.page);
      const button = s.page.locator(`rl-actor-panel[data-actor="${actor}"] button.step`);
      if (actor && await button.isEnabled()) {
        await button.click();
        stepped = true;
        break;
      }
    }
    expect(stepped).toBe(true);
    const ana = students[0]!;
    await ana.page.locator('rl-game .status', { hasText: 'step 1 ·' }).waitFor();
    await ana.page.locator('[data-test="teacher-holds"]').waitFor();
    await waitEnabled(ana.page.locator('rl-game [data-test="restart"]'));
    await ana.page.locator('rl-game [data-test="restart"]').click();
    await ana.page.locator('rl-toasts', { hasText: "the teacher holds the host's controls" }).waitFor();
    await ana.page.locator('rl-game .status', { hasText: 'step 1 · run 1' }).waitFor();
    await screenshot(ana.page, 'class-student-refused');

    // Pause: every student is told, and their step buttons refuse.
    await board.locator('[data-test="pause"]').click();
    await board.locator('[data-test="class-paused"]').waitFor();
    for (const s of students) await s.page.locator('rl-game [data-test="class-paused"]').waitFor();
    for (const s of students) {
      const actor = await myActor(s.page);
      if (actor) expect(await s.page.locator(`rl-actor-panel[data-actor="${actor}"] button.step`).isEnabled()).toBe(false);
    }
    await screenshot(board, 'class-dashboard-paused');
    await board.locator('[data-test="resume"]').click();
    for (const s of students) await s.page.locator('rl-game [data-test="class-paused"]').waitFor({ state: 'detached' });

    // Move Fay (room 2) to watch in room 1: her page follows her there.
    const fay = students[5]!;
    await board.locator(`[data-room="${room2}"]`).getByLabel('Move Fay').selectOption(`${room1}:spectator`);
    await fay.page.locator('rl-game [data-room-code]', { hasText: room1 }).waitFor();
    expect(fay.page.url()).toContain(`#/room/${room1}`);
    await board.locator(`[data-room="${room1}"] .watchers`, { hasText: 'Fay' }).waitFor();
    await fay.page.locator('rl-game section.players li', { hasText: 'Fay (you) — watching' }).waitFor();
    await screenshot(board, 'class-dashboard-projector');
    await laptop.page.locator(`[data-room="${room1}"] .watchers`, { hasText: 'Fay' }).waitFor();
    await screenshot(laptop.page, 'class-dashboard-default', true);

    // Stop: every student sees it without doing anything (pushed, not found on their next click),
    // and their controls go inert.
    await board.locator('[data-test="stop-class"]').click();
    const seen = students.map((s) => s.page.locator('rl-game [data-test="class-stopped"]').waitFor({ timeout: 10_000 }));
    await board.locator('[data-test="stop-now"]').click();
    const stoppedAt = Date.now();
    await Promise.all(seen);
    // A functional bound, not a benchmark: well under a second on a quiet machine; the bound is
    // loose because CI's load can stretch any round trip, yet far below any polling period.
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    for (const s of students) expect(await s.page.locator('rl-game main').getAttribute('inert')).not.toBeNull();
    await laptop.page.getByText('The class is stopped.').waitFor();
    await screenshot(students[1]!.page, 'class-student-stopped');
    for (const p of [laptop, projector, ...students]) expect(p.errors).toEqual([]);
    for (const p of [laptop, projector, ...students]) await p.context.close();
  }, 300_000);
});
