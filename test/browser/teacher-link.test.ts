// The teacher link travels: the teacher opens a class on a laptop and the dashboard on a
// second browser (the projector PC) through the teacher link; both follow the class. A
// new link revokes the old one: the projector is told and shows nothing of the class.
import { describe, expect, it } from 'vitest';
import { newPlayer, screenshot, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser();

describe('teacher link', () => {
  it('opens the dashboard on a second browser, and revoking it closes that dashboard', async () => {
    const laptop = await newPlayer(env.browser, 'Ms Lee');
    await laptop.page.goto(`${env.server.url}/#/teach`);
    await laptop.page.locator('[data-test="class-lesson"]').waitFor();
    await laptop.page.locator('[data-test="open-class"]').click();
    await laptop.page.locator('[data-class-code]').waitFor();
    const code = (await laptop.page.locator('[data-class-code]').textContent())!.trim();
    await laptop.page.locator('[data-test="show-teacher-link"]').click();
    const dialog = laptop.page.locator('rl-teacher-link [role="dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('svg[aria-label="QR code of the teacher link"] path').count()).toBe(1);
    const link = (await dialog.locator('[data-test="teacher-link"]').textContent())!.trim();
    expect(link).toMatch(new RegExp(`/#/class/${code}/teach\\?key=[A-Za-z0-9_-]{16,64}$`));
    await screenshot(laptop.page, 'teacher-link');

    // The projector PC opens the link: the dashboard, with the key gone from the address bar.
    const projector = await newPlayer(env.browser);
    await projector.page.goto(link);
    await projector.page.locator('[data-class-code]', { hasText: code }).waitFor();
    expect(projector.page.url()).toMatch(new RegExp(`#/class/${code}/teach$`));
    // A student joins: both dashboards see her.
    const ana = await newPlayer(env.browser);
    await ana.page.goto(`${env.server.url}/c/${code}`);
    await ana.page.getByLabel('Your name').fill('Ana');
    await ana.page.locator('[data-test="join-class"]').click();
    await ana.page.locator('rl-game [data-room-code]').waitFor();
    await projector.page.locator('[data-room]', { hasText: 'Ana' }).waitFor();
    await laptop.page.locator('[data-room]', { hasText: 'Ana' }).waitFor();

    // The join code alone opens no dashboard.
    const student = await newPlayer(env.browser);
    await student.page.goto(`${env.server.url}/#/class/${code}/teach`);
    await student.page.getByText(`This browser has no teacher link for class ${code}`).waitFor();

    // A new link: the projector is told at once, the laptop keeps the class with the new link.
    await dialog.locator('[data-test="rekey"]').click();
    await dialog.locator('[data-test="rekey-now"]').click();
    await projector.page.getByText('This teacher link was revoked').waitFor();
    const fresh = (await dialog.locator('[data-test="teacher-link"]').textContent())!.trim();
    expect(fresh).not.toBe(link);
    await laptop.page.locator('rl-teacher-link button.close').click();
    await laptop.page.locator('[data-room]', { hasText: 'Ana' }).waitFor();
    // The old link opens nothing on a third browser; the new one does.
    const phone = await newPlayer(env.browser);
    await phone.page.goto(link);
    await phone.page.getByText('does not open this class').waitFor();
    await phone.page.goto('about:blank');
    await phone.page.goto(fresh);
    await phone.page.locator('[data-room]', { hasText: 'Ana' }).waitFor();
    expect([...laptop.errors, ...projector.errors, ...ana.errors, ...student.errors, ...phone.errors]).toEqual([]);
    for (const p of [laptop, projector, ana, student, phone]) await p.context.close();
  }, 90_000);
});
