// Every control by keyboard, in Chromium. On every stop of the tour, Tab from the screen's
// heading reaches every visible control and comes back round (no trap; in the end-of-run
// dialog, which is modal, it stays inside), and nothing looks clickable that a keyboard
// cannot reach. Then a run played with the keyboard alone: Enter on links and buttons,
// Space on buttons and checkboxes, focus on the new screen's heading after each screen
// change, the dialog closed with Esc; its transcript has every step in words and the outcome.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser, newPlayer } from './harness.js';
import { focusedElement, focusedKey, surveyControls, tabWalk, type Focused } from './keyboard-probe.js';
import { tour, type Sight } from './tour.js';

const env = useServerAndBrowser();

/** Presses Tab until `match` says the focused element is the one (at most `limit` presses). */
async function tabTo(page: Page, match: (f: Focused) => boolean, limit = 120): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (match(await focusedElement(page))) return;
  }
  throw new Error(`Tab never reached the control (last: ${JSON.stringify(await focusedElement(page))})`);
}

/** Waits until focus is on a heading whose text matches. */
async function headingFocused(page: Page, text: RegExp): Promise<void> {
  await page.waitForFunction((src) => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return !!el && /^H[12]$/.test(el.tagName) && new RegExp(src).test((el as HTMLElement).innerText);
  }, text.source, { timeout: 30_000 });
}

describe('keyboard', () => {
  it('Tab reaches every control of every screen, and leaves again', async () => {
    const problems: string[] = [];
    const looked: string[] = [];
    const players = await tour(env.browser, env.server.url, async (page: Page, sight: Sight) => {
      const within = sight.stop === 'result' ? 'dialog[open]' : undefined;
      // Start where a screen change leaves focus: the screen's heading (in the dialog, its first control).
      await page.evaluate((inDialog) => {
        const all: Element[] = [];
        const walk = (root: ParentNode) => { for (const el of Array.from(root.children)) { all.push(el); if (el.shadowRoot) walk(el.shadowRoot); walk(el); } };
        walk(document);
        const scope = inDialog ? all.find((el) => el.matches('dialog[open]')) : null;
        const h = (all.filter((el) => !scope || scope.contains(el)).find((el) => el.matches('h1, h2')) as HTMLElement | undefined);
        if (h) { if (!h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1'); h.focus(); }
      }, Boolean(within));
      const { controls, mouseOnly } = await surveyControls(page, within);
      const walked = await tabWalk(page, controls.length + 20);
      const reached = new Set(walked);
      for (const c of controls) if (!reached.has(c.key)) problems.push(`${sight.stop}: Tab never reaches ${c.name}`);
      for (const m of mouseOnly) problems.push(`${sight.stop}: looks clickable, no keyboard way: ${m}`);
      const expected = new Set(controls.map((c) => c.key));
      for (const k of walked) if (k !== 'body' && !expected.has(k)) problems.push(`${sight.stop}: Tab stops on something not shown as a control: ${k}`);
      // Round and out again: the walk ends back at its start, or on the page itself.
      if (walked.length > controls.length + 10) problems.push(`${sight.stop}: Tab goes round more than the ${controls.length} controls (a trap?)`);
      looked.push(`${sight.stop}: ${controls.length} controls, ${walked.length} Tab stops`);
    }, { every: true });
    console.log(looked.join('\n'));
    expect(looked).toHaveLength(18);
    expect(problems).toEqual([]);
    expect(players.flatMap((p) => p.errors)).toEqual([]);
  }, 480_000);

  it('plays a lesson with the keyboard alone', async () => {
    const player = await newPlayer(env.browser, 'Kim');
    const { page } = player;
    await page.goto(`${env.server.url}/`);
    await page.getByText('Play the campaign').first().waitFor();

    // Space on a checkbox: the projector theme, on and off.
    await page.locator('rl-lobby h1').focus();
    await tabTo(page, (f) => f.test === 'projector-theme');
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('projector');
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();

    // Enter on a link: the campaign, focus on its heading.
    await page.locator('rl-lobby h1').focus();
    await tabTo(page, (f) => f.test === 'play-campaign');
    await page.keyboard.press('Enter');
    await headingFocused(page, /The campaign/);
    // Tab from the heading to the first lesson's Play, Enter: the lesson, its heading focused.
    await tabTo(page, (f) => f.tag === 'a' && /^(Play|Start)/.test(f.text) && !/Continue/.test(f.text));
    await page.keyboard.press('Enter');
    await page.locator('rl-game [data-room-code]').waitFor();
    await headingFocused(page, /.+/);
    expect((await focusedElement(page)).tag).toBe('h1');
    // Enter, then Space, on step buttons.
    // (A disabled button takes no focus: the first step button Tab reaches can move.)
    for (const [i, key] of [[1, 'Enter'], [2, 'Space']] as const) {
      await tabTo(page, (f) => f.tag === 'button' && /Step: /.test(f.text));
      await page.keyboard.press(key);
      await page.locator('rl-game .status', { hasText: `step ${i} ·` }).waitFor();
    }
    // The rest of the run by the actors' keys, until the end-of-run dialog takes focus.
    const dialog = page.locator('rl-outcome dialog[open]');
    for (let i = 3; i < 80 && !(await dialog.count()); i++) {
      const key = (await page.locator('rl-actor-panel button.step:not([disabled]) kbd').first().textContent())!.trim();
      await page.keyboard.press(key);
      await page.locator('rl-game .status', { hasText: `step ${i} ·` }).or(dialog).first().waitFor();
    }
    await dialog.waitFor();
    await page.waitForFunction(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return !!el?.closest('dialog');
    });
    // Tab stays in the modal dialog (tested on every screen above); Esc closes it, focus lands on a control.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedKey(page)).not.toBe('body');

    // The transcript: one line per step, in words, and the ending.
    const steps = Number(/step (\d+) ·/.exec((await page.locator('rl-game .status').textContent()) ?? '')?.[1]);
    const lines = await page.locator('rl-transcript li').allTextContents();
    expect(lines).toHaveLength(steps);
    for (const l of lines) expect(l).toMatch(/^(Victim|OOM reaper|Allocator( \d)?): \S/);
    expect(await page.locator('rl-transcript section').textContent()).toMatch(/Run over: (Success|Needless kill|Lockup|Kernel oops|Panic)\./);
    expect(player.errors).toEqual([]);
  }, 120_000);
});
