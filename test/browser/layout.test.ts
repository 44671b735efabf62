// Every screen at four sizes — phone 390×844, tablet 768×1024, laptop 1366×768 and a
// projector at 1920×1080 (in the projector theme) — checked by layout assertions in
// Chromium (layout-probe.ts): no labelled boxes overlap, nothing is cut off or wider than
// the page, every touch target is at least 24 px. A screenshot of each lands in
// test-artifacts/layout/.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, useServerAndBrowser } from './harness.js';
import { layoutProblems } from './layout-probe.js';
import { tour, type Sight } from './tour.js';

const env = useServerAndBrowser();

const SIZES = [
  { name: 'phone', width: 390, height: 844, theme: 'default' },
  { name: 'tablet', width: 768, height: 1024, theme: 'default' },
  { name: 'laptop', width: 1366, height: 768, theme: 'default' },
  { name: 'projector', width: 1920, height: 1080, theme: 'projector' },
] as const;

/** Lets resize observers, lit updates and chart rebuilds run. */
async function settle(page: Page): Promise<void> {
  for (let i = 0; i < 3; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

describe('layout at four sizes', () => {
  it('every screen: no overlapping labels, nothing cut off, targets of 24 px or more', async () => {
    const problems: string[] = [];
    const looked: string[] = [];
    const players = await tour(env.browser, env.server.url, async (page: Page, sight: Sight) => {
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.evaluate((t) => { if (t === 'projector') document.documentElement.dataset.theme = 'projector'; else delete document.documentElement.dataset.theme; }, size.theme);
        await settle(page);
        const found = await layoutProblems(page, sight.within ? { within: sight.within } : {});
        problems.push(...found.map((p) => `${sight.stop} @ ${size.name}: ${p}`));
        await screenshot(page, `layout/${sight.stop.replace(/ /g, '-')}-${size.name}`, !sight.within);
        looked.push(`${sight.stop}@${size.name}`);
      }
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.evaluate(() => { delete document.documentElement.dataset.theme; });
    });
    expect(looked).toHaveLength(10 * SIZES.length);
    expect(problems).toEqual([]);
    expect(players.flatMap((p) => p.errors)).toEqual([]);
  }, 240_000);
});
