// Words for beginners: a glossary term in a lesson's story opens its definition in place,
// the glossary page lists every term, the lesson says what its machine simplifies, and the
// board names the next step by its code line, never by the engine's step id.
import { describe, expect, it } from 'vitest';
import { GLOSSARY } from '../../lessons/glossary.js';
import { newPlayer, screenshot, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser();

describe('the glossary in the game', () => {
  it('opens a term from the story, and lists every term on its own page', async () => {
    const { page, errors } = await newPlayer(env.browser, 'Gil');
    await page.goto(`${env.server.url}/#/lesson/nothing-left-to-kill`);
    await page.locator('rl-lesson-panel .goal').waitFor();
    const term = page.locator('rl-lesson-panel rl-glossary-term[term="mmf-oom-skip"]').first();
    await term.getByRole('button').click();
    const pop = term.locator('.pop');
    await pop.waitFor();
    expect(await pop.textContent()).toContain('stop waiting for this victim');
    await screenshot(page, 'glossary-term-open');
    await page.keyboard.press('Escape');
    await pop.waitFor({ state: 'detached' });

    // what the machine simplifies is one click away
    await page.locator('rl-lesson-panel details.simplifies summary').click();
    expect(await page.locator('rl-lesson-panel details.simplifies').textContent()).toContain('oom_lock');

    // the state panel's flags are terms too
    await page.locator('rl-state-view rl-glossary-term[term="mmf-oom-victim"]').waitFor();

    // a ready actor names its code line, not a step id
    const why = page.locator('rl-actor-panel[data-actor="allocator"] .why');
    await why.waitFor();
    expect(await why.textContent()).toMatch(/Ready: lines? \d+/);
    expect(await why.textContent()).not.toMatch(/\bA1\b/);

    await page.goto(`${env.server.url}/#/glossary/mmf-unstable`);
    await page.locator('rl-glossary .entry.focus#mmf-unstable').waitFor();
    expect(await page.locator('rl-glossary .entry').count()).toBe(GLOSSARY.length);
    await screenshot(page, 'glossary-page');
    expect(errors).toEqual([]);
  }, 60_000);
});
