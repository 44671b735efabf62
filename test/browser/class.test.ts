// The class path: a teacher opens a class, three students join from three browsers with
// the projected link and land in one room with one actor each, one of them steps, and the
// teacher's dashboard shows the room, its players and its progress; then the class stops.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPlayer, type Player, screenshot, useServerAndBrowser, waitEnabled } from './harness.js';

const env = useServerAndBrowser();

/** The actor this page plays ("you" on its panel). */
async function myActor(page: Page): Promise<string> {
  const panel = page.locator('rl-actor-panel', { has: page.locator('.chip', { hasText: 'you' }) });
  await panel.waitFor();
  expect(await panel.count()).toBe(1);
  return (await panel.getAttribute('data-actor'))!;
}

describe('a class in a lesson', () => {
  it('seats three students in one room, one actor each, and the teacher sees their progress', async () => {
    const teacher = await newPlayer(env.browser, 'Ms Lee');
    await teacher.page.goto(`${env.server.url}/`);
    await teacher.page.locator('[data-test="open-class-link"]').click();
    await teacher.page.locator('[data-test="class-lesson"]').waitFor();
    await teacher.page.locator('[data-test="class-lesson"]').selectOption('rfc-close-lockup');
    await screenshot(teacher.page, 'class-open');
    await teacher.page.locator('[data-test="open-class"]').click();
    await teacher.page.locator('[data-class-code]').waitFor();
    expect(teacher.page.url()).toMatch(/#\/class\/[A-Z0-9]{4,8}\/teach$/);
    const code = (await teacher.page.locator('[data-class-code]').textContent())!.trim();
    await teacher.page.getByText('No students yet').waitFor();
    await screenshot(teacher.page, 'class-dashboard-empty');
    await teacher.page.locator('[data-test="show-code"]').click();
    await teacher.page.locator('.overlay .big', { hasText: code }).waitFor();
    await screenshot(teacher.page, 'class-projector-code');
    await teacher.page.locator('.overlay').click();

    // Three students open the projected link, type a name and are seated.
    const students: Player[] = [];
    const rooms: string[] = [];
    for (const name of ['Ana', 'Ben', 'Cai']) {
      const s = await newPlayer(env.browser);
      students.push(s);
      await s.page.goto(`${env.server.url}/c/${code}`);
      await s.page.getByRole('heading', { name: /./ }).first().waitFor();
      await s.page.getByLabel('Your name').fill(name);
      if (name === 'Ana') await screenshot(s.page, 'class-join');
      await s.page.locator('[data-test="join-class"]').click();
      await s.page.locator('rl-game [data-room-code]').waitFor();
      rooms.push((await s.page.locator('rl-game [data-room-code]').textContent())!.trim());
    }
    expect(new Set(rooms).size).toBe(1);
    const actors = await Promise.all(students.map((s) => myActor(s.page)));
    expect([...actors].sort()).toEqual(['allocator', 'reaper', 'victim']);
    const room = rooms[0]!;

    // The teacher sees the room with its three players.
    const card = teacher.page.locator(`[data-room="${room}"]`);
    await card.waitFor();
    for (const name of ['Ana', 'Ben', 'Cai']) await card.locator('.seats .name', { hasText: name }).waitFor();
    await card.locator('[data-test="room-progress"]', { hasText: 'waiting for the first step' }).waitFor();

    // Whoever's actor can move first steps it, on their own button.
    let stepped = false;
    for (const [i, s] of students.entries()) {
      const button = s.page.locator(`rl-actor-panel[data-actor="${actors[i]}"] button.step`);
      if (await button.isEnabled()) {
        await waitEnabled(button);
        await button.click();
        await s.page.locator('rl-game .status', { hasText: 'step 1 ·' }).waitFor();
        await screenshot(s.page, 'class-student-stepped');
        stepped = true;
        break;
      }
    }
    expect(stepped).toBe(true);
    await card.locator('[data-test="room-progress"]', { hasText: 'run 1 · step 1' }).waitFor();
    await teacher.page.getByText('The class found 0 of').waitFor();
    await screenshot(teacher.page, 'class-dashboard-progress');

    // Ana sat down first and hosts the room; she hands the host to Ben, who gives Cai's seat to Ana.
    const [ana, ben, cai] = students as [Player, Player, Player];
    await ana.page.locator('rl-game section.players .host').waitFor();
    const benId = await ana.page.locator('form[data-test="give-host"] select option', { hasText: 'Ben' }).getAttribute('value');
    await ana.page.locator('form[data-test="give-host"] select').selectOption(benId!);
    await ana.page.locator('form[data-test="give-host"] button').click();
    await ben.page.getByRole('button', { name: /Undo/ }).waitFor();
    await card.locator('.seats li', { hasText: 'Ben' }).locator('.tag', { hasText: 'host' }).waitFor();
    expect(await ana.page.getByRole('button', { name: /Undo/ }).count()).toBe(0);
    const caiSeat = actors[2]!;
    await ben.page.locator('form[data-test="give-seat"] select#give-role').selectOption(caiSeat);
    const anaId = await ben.page.locator('form[data-test="give-seat"] select#give-to option', { hasText: 'Ana' }).getAttribute('value');
    await ben.page.locator('form[data-test="give-seat"] select#give-to').selectOption(anaId!);
    await ben.page.locator('form[data-test="give-seat"] button').click();
    await ana.page.locator(`rl-actor-panel[data-actor="${caiSeat}"] .chip`, { hasText: 'you' }).waitFor();
    await cai.page.locator('rl-game section.players li', { hasText: 'Cai (you) — watching' }).waitFor();
    await screenshot(ben.page, 'class-student-host-handover');

    // The teacher stops the class: the students' steps are refused, the notebook is offered.
    await teacher.page.locator('[data-test="stop-class"]').click();
    await teacher.page.locator('[data-test="stop-now"]').click();
    await teacher.page.getByText('The class is stopped.').waitFor();
    await teacher.page.getByRole('link', { name: 'Open the class notebook' }).waitFor();
    await screenshot(teacher.page, 'class-dashboard-stopped');
    for (const p of [teacher, ...students]) expect(p.errors).toEqual([]);
  }, 60_000);
});
