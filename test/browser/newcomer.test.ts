// What a newcomer stumbled on, checked in Chromium: a lesson opens at its header however
// far the campaign was scrolled; the class's join link may wrap before its code but never
// inside it; the free-play choices are not cut at 1366 px; the replay's first button is
// called "Start"; the solo scheduler is not "watching".
import { describe, expect, it } from 'vitest';
import { newPlayer, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser();

describe('small things a newcomer met', () => {
  it('a lesson opened from a scrolled campaign starts at its header', async () => {
    const { page, errors } = await newPlayer(env.browser, 'Ada');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${env.server.url}/#/campaign`);
    const last = page.locator('rl-campaign li[data-lesson]').last();
    await last.waitFor();
    await last.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    await last.getByRole('link').click();
    const header = page.locator('rl-game header.top');
    await header.waitFor();
    await page.locator('rl-game [data-room-code]').waitFor();
    const box = await header.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeLessThan(50);
    // The solo scheduler schedules; nobody in the room is "watching".
    expect(await page.locator('rl-room-admin li', { hasText: 'Ada (you)' }).textContent()).toContain('schedules every actor');
    expect(errors).toEqual([]);
  }, 60_000);

  it('the class join link never breaks inside the code', async () => {
    const teacher = await newPlayer(env.browser, 'Ms Lee');
    await teacher.page.goto(`${env.server.url}/#/teach`);
    await teacher.page.locator('[data-test="open-class"]').click();
    const code = (await teacher.page.locator('[data-class-code]').textContent())!.trim();
    for (const width of [390, 768, 1366]) {
      await teacher.page.setViewportSize({ width, height: 800 });
      const lines = await teacher.page.locator('rl-class-dashboard [data-test="join-link"]').first().evaluate((link) => {
        const whole = link.querySelector('.whole')!;
        const range = document.createRange();
        range.selectNodeContents(whole);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        return { text: whole.textContent, lines: tops.size };
      });
      expect(lines, `at ${width} px`).toEqual({ text: code, lines: 1 });
    }
    expect(teacher.errors).toEqual([]);
  }, 60_000);

  it('free play shows its choices whole at 1366 px, and the replay says "Start"', async () => {
    const { page, errors } = await newPlayer(env.browser);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${env.server.url}/`);
    await page.locator('[data-test="free-variant"]').waitFor();
    const cut = await page.locator('rl-lobby').evaluate((lobby) => {
      const out: string[] = [];
      const ctx = document.createElement('canvas').getContext('2d')!;
      for (const sel of Array.from(lobby.shadowRoot!.querySelectorAll('select'))) {
        const st = getComputedStyle(sel);
        ctx.font = `${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
        // the text box: the select's width less its padding, borders and the arrow (about 20 px)
        const room = sel.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight) - 20;
        for (const o of Array.from(sel.options)) if (ctx.measureText(o.text).width > room) out.push(`${sel.dataset.test}: “${o.text}”`);
      }
      return out;
    });
    expect(cut).toEqual([]);

    await page.goto(`${env.server.url}/#/replay/rfc-v1/pgtable-heavy/a.A1,a.A2`);
    const controls = page.getByRole('region', { name: 'Replay controls' });
    await controls.getByRole('button', { name: 'Start', exact: true }).waitFor();
    expect(await controls.getByRole('button', { name: /first step/i }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
