// Every screen passes axe-core in Chromium, in the default and the projector theme: the
// tour (tour.ts, every stop) opens each screen as a player would, and axe runs on the whole
// page with its default rules (WCAG 2.x A/AA, 2.2's 24 px targets and the best practices:
// landmarks, heading order, contrast) — none turned off. About 80 s on a quiet machine,
// 250 s at load 11 on two cores: the time limit leaves room for a busier one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, useServerAndBrowser } from './harness.js';
import { tour, type Sight } from './tour.js';

const env = useServerAndBrowser();

const THEMES = ['default', 'projector'] as const;

/** Lets lit updates, resize observers and chart rebuilds run after a theme change. */
async function settle(page: Page): Promise<void> {
  for (let i = 0; i < 3; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

/** One line per violating element: the stop, the theme, the rule and where. */
async function axeProblems(page: Page, where: string): Promise<string[]> {
  // Legacy mode runs axe.run() in the page itself (the tour has no frames) instead of
  // finishing in a fresh blank page; only the violations get their details worked out.
  const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] }).analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${where}: ${v.id} (${v.impact}) at ${JSON.stringify(n.target)} — ${n.failureSummary?.replace(/\s+/g, ' ').slice(0, 240)}`));
}

describe('accessibility (axe-core)', () => {
  it('every screen, both themes: no violations', async () => {
    const problems: string[] = [];
    const looked: string[] = [];
    const timings: string[] = [];
    mkdirSync(ARTIFACTS, { recursive: true });
    const players = await tour(env.browser, env.server.url, async (page: Page, sight: Sight) => {
      for (const theme of THEMES) {
        await page.evaluate((t) => { if (t === 'projector') document.documentElement.dataset.theme = 'projector'; else delete document.documentElement.dataset.theme; }, theme);
        await settle(page);
        const t0 = Date.now();
        problems.push(...await axeProblems(page, `${sight.stop} (${theme})`));
        timings.push(`${sight.stop} (${theme}): axe ${Date.now() - t0} ms`);
        // Written as the tour goes, so a tour that stops early still leaves what it found.
        writeFileSync(join(ARTIFACTS, 'a11y-violations.txt'), [...problems, ...timings].join('\n'));
        looked.push(`${sight.stop}/${theme}`);
      }
      await page.evaluate(() => { delete document.documentElement.dataset.theme; });
    }, { every: true });
    expect(looked).toHaveLength(18 * THEMES.length);
    expect(problems).toEqual([]);
    expect(players.flatMap((p) => p.errors)).toEqual([]);
  }, 600_000);
});
