// An explorer cell scaled to 6 and then 8 allocators answers in Debian's Chromium (the
// explorer's Web Worker, reduced by symmetry): the outcome table and the symmetry line are
// those the same report computes here, and the "Play" button is gone; then mixed needs typed
// as a list give two classes, and an impossible need is refused. How long each answer
// took in the browser (the cell's own "explored in N ms", and the wall time from the change
// to the answer) is printed, not asserted: docs/BENCHMARKS.md records it.

import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { OUTCOMES, type Scenario } from '../../engine/index.js';
import { exploreReport, resolveScenario, symmetryLine } from '../../client/notebook/coverage.js';
import { OUTCOME_NAMES } from '../../client/lib/labels.js';
import { newPlayer, screenshot, useServerAndBrowser } from '../browser/harness.js';

const env = useServerAndBrowser();

/** Types a value into one of the cell's number inputs and commits it (the cell reads `change`). */
async function set(input: Locator, value: number): Promise<void> {
  await input.fill(String(value));
  await input.dispatchEvent('change');
}

describe('a scaled explorer cell in the browser', () => {
  it('answers 6 and 8 allocators, reduced by symmetry, with the outcomes the engine gives', async () => {
    const p = await newPlayer(env.browser, 'Ada');
    try {
      await p.page.goto(`${env.server.url}/#/notebook/nb-browser-symmetry`);
      await p.page.getByRole('button', { name: '+ Explorer' }).click();
      const cell = p.page.locator('rl-nb-explorer').first();
      await cell.locator('.summary', { hasText: 'distinct final states' }).first().waitFor({ timeout: 20_000 });
      await cell.locator('select.variant').selectOption('v4.19');
      await set(cell.locator('label', { hasText: 'reaper tries' }).locator('input'), 4);
      await set(cell.locator('input.bystanders'), 2);
      await expect.poll(() => cell.getByRole('button', { name: /Play this scenario/ }).count(), { timeout: 20_000 }).toBe(0);
      // The notebook's contents name the cell by its question as it is now.
      await expect.poll(() => p.page.locator('nav[aria-labelledby="toc"]').textContent(), { timeout: 20_000 }).toContain('Explorer: v4.19 × ');

      for (const allocators of [6, 8]) {
        const q = { variant: 'v4.19' as const, config: 'pgtable-heavy' as const, overrides: { maxAttempts: 4, bystanders: [4, 4], need: Array.from({ length: allocators }, () => 3) } };
        const expected = exploreReport(resolveScenario(q) as Scenario);
        const line = symmetryLine(expected);
        expect(line).toMatch(new RegExp(`^Reduced by symmetry: .* \\(Allocators 1–${allocators}: equal need\\)\\.$`));
        const t0 = Date.now();
        await set(cell.locator('input.allocators'), allocators);
        await expect.poll(() => cell.locator('.symmetry').textContent(), { timeout: 60_000 }).toBe(line);
        const wall = Date.now() - t0;
        const summary = (await cell.locator('.summary', { hasText: 'explored in' }).first().textContent()) ?? '';
        expect(summary).toContain(`${expected.states.toLocaleString('en')} states, ${expected.finals.length} distinct final states`);
        for (const o of OUTCOMES) {
          const row = cell.locator('tbody tr', { hasText: OUTCOME_NAMES[o] }).first();
          const reach = expected.outcomes[o];
          await expect.poll(() => row.locator('td').nth(1).textContent()).toBe(reach.reachable ? 'yes' : 'no');
          if (reach.reachable) expect(await row.locator('td').nth(2).locator('summary').textContent()).toBe(`${reach.steps} steps`);
        }
        expect(await cell.getByRole('button', { name: /Play this scenario/ }).count()).toBe(0);
        const ms = /explored in (\d+) ms/.exec(summary)?.[1];
        console.log(`browser a${allocators} (v4.19 × pgtable-heavy, 2 bystanders, 4 reaper tries): ${expected.states} states reduced by symmetry, explored in ${ms} ms in the worker; ${wall} ms from the change to the answer on the page`);
      }

      // Mixed needs, typed as a list: two classes of interchangeable allocators.
      const mixed = { variant: 'v4.19' as const, config: 'pgtable-heavy' as const, overrides: { maxAttempts: 4, bystanders: [4, 4], need: [2, 2, 2, 3, 3, 3] } };
      const expected = exploreReport(resolveScenario(mixed) as Scenario);
      expect(symmetryLine(expected)).toContain('(Allocators 1–3; Allocators 4–6: equal need)');
      const t0 = Date.now();
      await cell.locator('input.need').fill('2, 2, 2, 3, 3, 3');
      await cell.locator('input.need').dispatchEvent('change');
      await expect.poll(() => cell.locator('.symmetry').textContent(), { timeout: 60_000 }).toBe(symmetryLine(expected));
      console.log(`browser a6 with needs 2, 2, 2, 3, 3, 3: ${expected.states} states reduced by symmetry; ${Date.now() - t0} ms from the change to the answer on the page`);
      expect(await cell.locator('input.allocators').inputValue()).toBe('6');
      expect(await cell.locator('.summary', { hasText: 'explored in' }).first().textContent()).toContain(`${expected.states.toLocaleString('en')} states, ${expected.finals.length} distinct final states`);
      // A need no allocator can have changes nothing and says why.
      await cell.locator('input.need').fill('2, 0');
      await cell.locator('input.need').dispatchEvent('change');
      await expect.poll(() => cell.getByRole('alert').textContent()).toContain('Not changed: ');
      expect(await cell.getByRole('alert').textContent()).toContain('need[1] must be an integer from 1');
      expect(await cell.locator('.symmetry').textContent()).toBe(symmetryLine(expected));
      await screenshot(p.page, 'notebook/test-explorer-symmetry');
      expect(p.errors).toEqual([]);
    } finally {
      await p.context.close();
    }
  }, 180_000);
});
