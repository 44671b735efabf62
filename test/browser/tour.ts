// A tour of every screen, in one tab and without reloads, for the layout and accessibility
// checks: each stop opens a screen as a player would and waits until it shows what it is
// for; the caller looks at it (`look`) before the tour goes on. Plain module (no vitest), so
// a script can run it too.
import type { Browser, Page } from 'playwright-core';
import { explore, isScenarioError, makeScenario } from '../../engine/index.js';
import { shareHash } from '../../client/lib/share.js';
import { newPlayer, type Player } from './chromium.js';

export type Stop = 'first screen' | 'campaign' | 'game' | 'result' | 'notebook' | 'side by side' | 'replay' | 'glossary' | 'lesson editor' | 'class dashboard'
  // the further stops of `{ every: true }`
  | 'lesson intro' | 'free play' | 'room invite' | 'my runs' | 'class creation' | 'teacher link' | 'class join' | 'student in class';
/** What to check at a stop: the whole page, or only the open dialog. */
export interface Sight { stop: Stop; within?: string }
export type Look = (page: Page, sight: Sight) => Promise<void>;

async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

/**
 * Waits until every visible chart has drawn. The chart builders are fetched when a chart
 * comes near the viewport, so the first one is scrolled to (and the page scrolled back).
 */
async function chartsDrawn(page: Page): Promise<void> {
  const charts = page.locator('rl-chart');
  const visible = [];
  for (let i = 0; i < await charts.count(); i++) if (await charts.nth(i).isVisible()) visible.push(charts.nth(i));
  if (!visible.length) return;
  const at = await page.evaluate(() => [scrollX, scrollY] as const);
  await visible[0]!.scrollIntoViewIfNeeded();
  for (const chart of visible) await chart.locator('svg').first().waitFor({ state: 'attached', timeout: 60_000 });
  await page.evaluate(([x, y]) => scrollTo(x, y), at);
}

/** Plays the run to its end, always the first actor that can move. */
async function playToEnd(page: Page): Promise<void> {
  const ended = page.locator('rl-outcome dialog[open]');
  for (let i = 0; i < 60 && !(await ended.count()); i++) {
    const status = (await page.locator('rl-game .status').textContent()) ?? '';
    const n = Number(/step (\d+) ·/.exec(status)?.[1] ?? NaN);
    await page.locator('rl-actor-panel button.step:not([disabled])').first().click();
    await page.locator('rl-game .status', { hasText: `step ${n + 1} ·` }).or(ended).first().waitFor();
  }
  await ended.waitFor();
}

export interface TourOptions {
  /** Also the screens the layout test leaves out, and explorer and note cells in the notebook. */
  every?: boolean;
}

/** Visits every screen; `inspect` is called at each once its charts have drawn. Returns the pages it opened (to close). */
export async function tour(browser: Browser, base: string, inspect: Look, opts: TourOptions = {}): Promise<Player[]> {
  const look: Look = async (page, sight) => { await chartsDrawn(page); await inspect(page, sight); };
  const every = opts.every === true;
  const player = await newPlayer(browser, 'Ada');
  const { page } = player;
  const players = [player];

  await page.goto(`${base}/`);
  await page.getByText('Play the campaign').first().waitFor();
  await look(page, { stop: 'first screen' });

  await go(page, '#/campaign');
  await page.locator('rl-campaign [data-lesson]').first().waitFor();
  await look(page, { stop: 'campaign' });

  // A lesson, a few steps in: actors, the state picture, both charts, lesson and transcript.
  await go(page, '#/lesson/tutorial');
  await page.locator('rl-game [data-room-code]').waitFor();
  const room = (await page.locator('rl-game [data-room-code]').textContent())!.trim();
  if (every) {
    await page.locator('rl-lesson-panel details[open] .story').waitFor();
    await look(page, { stop: 'lesson intro' });
  }
  for (let i = 1; i <= 3; i++) {
    await page.locator('rl-actor-panel button.step:not([disabled])').first().click();
    await page.locator('rl-game .status', { hasText: `step ${i} ·` }).waitFor();
  }
  await look(page, { stop: 'game' });

  await playToEnd(page);
  await look(page, { stop: 'result', within: 'rl-app >> rl-game >> rl-outcome >> dialog[open]' });
  // A second run for the side-by-side comparison.
  await page.getByRole('button', { name: 'Play again' }).click();
  await page.locator('rl-game .status', { hasText: 'step 0 ·' }).waitFor();
  await playToEnd(page);
  await page.getByRole('button', { name: 'Look at the board' }).click();

  await go(page, `#/notebook/room-${room}`);
  await page.locator('rl-notebook .status', { hasText: 'All changes saved' }).waitFor();
  await page.locator('rl-nb-trace').nth(1).waitFor();
  if (every) {
    // A note beside the recorded runs, and the room's explorer question answered.
    await page.locator('rl-notebook').getByRole('button', { name: '+ Note', exact: true }).click();
    await page.locator('rl-notebook rl-nb-markdown textarea:focus').waitFor(); // the new note takes the focus once rendered
    await page.keyboard.type('Why did run 1 end this way?');
    await page.locator('rl-notebook rl-nb-explorer', { hasText: 'distinct final states found' }).first().waitFor();
    await page.locator('rl-notebook .status', { hasText: 'All changes saved' }).waitFor();
  }
  await look(page, { stop: 'notebook' });
  // Each press turns its button into "✓ In the comparison": the first one left is the next run.
  for (let i = 0; i < 2; i++) await page.locator('rl-notebook').getByRole('button', { name: 'Compare side by side' }).first().click();
  await page.locator('rl-notebook .compare rl-nb-trace').nth(1).waitFor();
  await look(page, { stop: 'side by side' });

  // A shared run of a longer scenario, halfway through.
  {
    const sc = makeScenario('rfc-v1', 'pgtable-heavy');
    if (isScenarioError(sc)) throw new Error(sc.message);
    const oops = explore(sc).outcomes.oops;
    if (!oops.reachable) throw new Error('rfc-v1 × pgtable-heavy has no oops any more: pick another shared run');
    await go(page, shareHash({ scenario: sc, actions: oops.trace, at: Math.floor(oops.trace.length / 2) }));
    await page.locator('rl-replay rl-actor-panel').first().waitFor();
    await look(page, { stop: 'replay' });
  }

  if (every) {
    await go(page, '#/play/rfc-v1/mlocked/scheduler');
    await page.locator('rl-game rl-actor-panel').first().waitFor();
    await page.locator('rl-game .status', { hasText: 'step 0 ·' }).waitFor();
    await look(page, { stop: 'free play' });
    // A room link opened by someone without a name: the name prompt.
    const code = (await page.locator('rl-game [data-room-code]').textContent())!.trim();
    const guest = await newPlayer(browser);
    players.push(guest);
    await guest.page.goto(`${base}/r/${code}`);
    await guest.page.getByLabel(/Your name/).waitFor();
    await look(guest.page, { stop: 'room invite' });
    await guest.context.close();

    await go(page, '#/mine');
    await page.locator('rl-mine h1').waitFor();
    await page.locator('rl-mine', { hasText: room }).waitFor();
    await look(page, { stop: 'my runs' });
  }

  await go(page, '#/glossary');
  await page.locator('rl-glossary dt, rl-glossary h2').first().waitFor();
  await look(page, { stop: 'glossary' });

  await go(page, '#/write');
  await page.locator('[data-test="lesson-status"]').getByText('The YAML is a valid lesson').waitFor();
  await look(page, { stop: 'lesson editor' });

  // A class with one student seated: the dashboard shows a room.
  await go(page, '#/teach');
  if (every) {
    await page.locator('[data-test="class-lesson"]').waitFor();
    await look(page, { stop: 'class creation' });
  }
  await page.locator('[data-test="open-class"]').click();
  await page.locator('rl-class-dashboard [data-class-code]').waitFor();
  const code = (await page.locator('rl-class-dashboard [data-class-code]').textContent())!.trim();
  const student = await newPlayer(browser);
  players.push(student);
  await student.page.goto(`${base}/c/${code}`);
  if (every) {
    await student.page.locator('[data-test="join-class"]').waitFor();
    await look(student.page, { stop: 'class join' });
  }
  await student.page.getByLabel('Your name').fill('Ben');
  await student.page.locator('[data-test="join-class"]').click();
  await student.page.locator('rl-game [data-room-code]').waitFor();
  await page.locator('rl-class-dashboard', { hasText: 'Ben' }).waitFor();
  await look(page, { stop: 'class dashboard' });
  if (every) {
    await look(student.page, { stop: 'student in class' });
    await page.locator('[data-test="show-teacher-link"]').click();
    await page.locator('rl-teacher-link [data-test="teacher-link"]').waitFor();
    await look(page, { stop: 'teacher link' });
  }
  return players;
}
