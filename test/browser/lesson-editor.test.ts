// Writing a lesson in the browser: an error is marked at its line and column (in the
// gutter, on the line, and by a button that puts the cursor there), the explorer's
// disagreement with an expectation too; a valid lesson is checked, previewed as a player
// (its story's HTML sanitised), saved, and played in a class by a student.
import { describe, expect, it } from 'vitest';
import { LESSON_TEMPLATE } from '../../client/lib/lesson-template.js';
import { newPlayer, screenshot, useServerAndBrowser, waitEnabled } from './harness.js';

const env = useServerAndBrowser();

/** 1-based line and column of `needle` in the line that starts with `lineStart`. */
function at(text: string, lineStart: string, needle: string): { line: number; col: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(lineStart));
  if (i < 0) throw new Error(`no line starts with ${lineStart}`);
  return { line: i + 1, col: lines[i]!.indexOf(needle) + 1 };
}

describe('the lesson editor', () => {
  it('marks errors where they are; a valid lesson is explored, previewed, saved and played in a class', async () => {
    const teacher = await newPlayer(env.browser, 'Ms Lee');
    const page = teacher.page;
    await page.goto(`${env.server.url}/#/write`);
    const yaml = page.locator('[data-test="lesson-yaml"]');
    const status = page.locator('[data-test="lesson-status"]');
    await status.getByText('The YAML is a valid lesson').waitFor();

    // A wrong value: marked at the value's line and column.
    const wrong = LESSON_TEMPLATE.replace('variant: v4.19', 'variant: v4.91');
    await yaml.fill(wrong);
    const where = at(wrong, 'variant:', 'v4.91');
    await status.getByText('1 problem in the YAML').waitFor();
    expect(await page.locator('.gutter .ln.bad').getAttribute('data-line')).toBe(String(where.line));
    expect(await page.locator('[data-test="error-line"]').getAttribute('data-line')).toBe(String(where.line));
    expect(await page.locator('[data-test="error-line"] mark').getAttribute('data-col')).toBe(String(where.col));
    const go = page.locator('[data-test="goto-error"]');
    expect((await go.textContent())!.trim()).toBe(`Line ${where.line}, column ${where.col}`);
    expect(await page.locator('[data-test="lesson-errors"]').textContent()).toContain('variant');
    await go.click();
    const caret = await yaml.evaluate((t: HTMLTextAreaElement) => t.selectionStart);
    expect(wrong.slice(caret, caret + 5)).toBe('v4.91');
    expect(await page.locator('[data-test="check-lesson"]').isDisabled()).toBe(true);
    await screenshot(page, 'lesson-editor-error');

    // A valid lesson whose expectation the explorer refutes: marked at the expectation.
    const refuted = LESSON_TEMPLATE.replace('reachable: [success]', 'reachable: [success, oops]').replace('unreachable: [needless_kill, lockup, oops, panic]', 'unreachable: [needless_kill, lockup, panic]');
    await yaml.fill(refuted);
    await status.getByText('The YAML is a valid lesson').waitFor();
    await page.locator('[data-test="check-lesson"]').click();
    await status.getByText('The explorer disagrees').waitFor();
    const expectation = at(refuted, '  reachable:', 'oops');
    expect(await page.locator('[data-test="error-line"]').getAttribute('data-line')).toBe(String(expectation.line));
    expect(await page.locator('[data-test="error-line"] mark').getAttribute('data-col')).toBe(String(expectation.col));
    await page.locator('[data-test="explorer-answer"] tr[data-outcome="oops"] td.bad', { hasText: 'unreachable' }).waitFor();
    expect(await page.locator('[data-test="save-lesson"]').isDisabled()).toBe(true);

    // The valid lesson, with HTML in its story that must not survive.
    const title = 'Where does the memory come back from?';
    const valid = LESSON_TEMPLATE.replace('  Watch the memory bar', '  <script>window.pwned = 1</script><a href="javascript:window.pwned=2">a link</a>\n\n  Watch the memory bar');
    await yaml.fill(valid);
    await status.getByText('Check it with the explorer').waitFor();
    await page.locator('[data-test="check-lesson"]').click();
    await status.getByText('The explorer agrees with every expectation').waitFor();
    await page.locator('[data-test="explorer-answer"] tr[data-outcome="success"]', { hasText: 'reachable in' }).waitFor();
    await screenshot(page, 'lesson-editor-explored');

    await page.locator('[data-test="preview-lesson"]').click();
    const panel = page.locator('[data-test="lesson-preview"] rl-lesson-panel');
    await panel.locator('h2', { hasText: title }).waitFor();
    await panel.locator('.story strong', { hasText: 'OOM killer' }).waitFor();
    const link = panel.locator('.story a', { hasText: 'a link' });
    await link.waitFor();
    expect([await link.getAttribute('href'), await panel.locator('.story script').count()]).toEqual([null, 0]);
    await panel.getByRole('button', { name: /Show a hint/ }).click();
    await panel.locator('.hint', { hasText: 'Hint 1.' }).waitFor();
    await link.click();
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await screenshot(page, 'lesson-editor-preview');

    await waitEnabled(page.locator('[data-test="save-lesson"]'));
    await page.locator('[data-test="save-lesson"]').click();
    await page.locator('[data-test="saved-lesson"]').waitFor();
    expect(page.url()).toMatch(/#\/write\/t-[a-z0-9]{10}$/);
    const id = page.url().split('/').pop()!;
    await page.locator('[data-test="my-lessons"] a', { hasText: title }).waitFor();
    expect(await page.locator('#share').inputValue()).toBe(`${env.server.url}/#/write/${id}`);

    // A class on it: the teacher opens it, a student joins and plays a step.
    await page.locator('[data-test="class-on-lesson"]').click();
    const select = page.locator('[data-test="class-lesson"]');
    await select.waitFor();
    expect(await select.inputValue()).toBe(id);
    await page.locator('[data-test="open-class"]').click();
    await page.locator('[data-class-code]').waitFor();
    const code = (await page.locator('[data-class-code]').textContent())!.trim();
    await page.getByText(title).first().waitFor();
    const ana = await newPlayer(env.browser);
    await ana.page.goto(`${env.server.url}/c/${code}`);
    await ana.page.getByLabel('Your name').fill('Ana');
    await ana.page.locator('[data-test="join-class"]').click();
    await ana.page.locator('rl-game [data-room-code]').waitFor();
    await ana.page.locator('rl-lesson-panel h2', { hasText: title }).waitFor();
    const step = ana.page.locator('rl-actor-panel[data-actor="allocator"] button.step');
    await waitEnabled(step);
    await step.click();
    await ana.page.locator('rl-game .status', { hasText: 'step 1 ·' }).waitFor();
    await page.locator('[data-test="room-progress"]', { hasText: 'run 1 · step 1' }).waitFor();

    // While the class runs it, the lesson cannot be removed; the share link opens a copy elsewhere.
    const other = await newPlayer(env.browser);
    await other.page.goto(`${env.server.url}/#/write/${id}`);
    await other.page.locator('[data-test="lesson-message"]', { hasText: `A copy of “${title}”` }).waitFor();
    expect(await other.page.locator('[data-test="lesson-yaml"]').inputValue()).toBe(valid);
    expect([...teacher.errors, ...ana.errors, ...other.errors]).toEqual([]);
    for (const p of [teacher, ana, other]) await p.context.close();
  }, 120_000);
});
