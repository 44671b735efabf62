// The notebook in Debian's Chromium (playwright-core), against the real server and the
// real campaign, every page under the strict CSP of test/browser/harness.ts: two people
// see each other and each other's edits; a recorded run replays step by step; an explorer
// cell shows what the room's runs have covered.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeScenario, type Scenario } from '../../engine/index.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { coverage, exploreReport } from '../../client/notebook/coverage.js';
import { traceRecordFromRun } from '../../protocol/notebook/doc.js';
import { ensureClientBuilt, launchBrowser, newPlayer, screenshot, startServer, type Player, type TestServer } from '../browser/harness.js';
import { connect, ok, shortestTrace, type Client } from '../server/helpers.js';

let server: TestServer;
let browser: Browser;
const players: Player[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startServer();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  for (const p of players) await p.context.close();
  await browser?.close();
  await server?.close();
});

async function player(name: string): Promise<Player> {
  const p = await newPlayer(browser, name);
  players.push(p);
  return p;
}

/** A lesson room where Ada (the host) has played the shortest oops; returns its code. */
async function roomWithAnOops(): Promise<{ code: string; token: string; scenario: Scenario }> {
  const c = await connect(server.url);
  clients.push(c);
  const joined = ok(await c.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Ada', lesson: 'rfc-v1-boot-crash' }));
  const trace = shortestTrace(joined.room.scenario, 'oops');
  for (let i = 0; i < trace.length; i++) ok(await c.call('game:act', { ...trace[i]!, version: i }));
  return { code: joined.room.code, token: joined.token, scenario: joined.room.scenario };
}

describe('the notebook in a browser', () => {
  it('two browsers see each other (names, colours) and each other\'s edits', async () => {
    const ada = await player('Ada');
    const bob = await player('Bob');
    await ada.page.goto(`${server.url}/#/notebook/nb-browser-pair`);
    await ada.page.getByRole('button', { name: '+ Note' }).click();
    await ada.page.locator('rl-nb-markdown textarea:focus').waitFor(); // the new note takes the focus once rendered
    await ada.page.keyboard.type('Ada writes first.');
    await bob.page.goto(`${server.url}/#/notebook/nb-browser-pair`);
    const bobNote = bob.page.locator('rl-nb-markdown .rendered').first();
    await expect.poll(() => bobNote.textContent(), { timeout: 10_000 }).toContain('Ada writes first.');
    // Both are listed as here, on both pages.
    for (const p of [ada, bob]) {
      await expect.poll(() => p.page.getByRole('list', { name: 'Who is here' }).getByRole('listitem').count(), { timeout: 10_000 }).toBe(2);
    }
    await expect.poll(() => ada.page.locator('aside').textContent()).toMatch(/Bob/);
    await bobNote.click();
    await bob.page.keyboard.press('Control+End');
    await bob.page.keyboard.type(' Bob answers.');
    // Ada sees Bob's text, and Bob's caret in her note, labelled with his name.
    await expect.poll(() => ada.page.locator('rl-nb-markdown textarea').first().inputValue(), { timeout: 10_000 }).toBe('Ada writes first. Bob answers.');
    await expect.poll(() => ada.page.locator('rl-nb-text .caret .who').first().textContent(), { timeout: 10_000 }).toBe('Bob');
    await expect.poll(() => ada.page.locator('.status').textContent()).toContain('All changes saved');
    await screenshot(ada.page, 'notebook/test-two-browsers');
    expect(ada.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });

  it('a recorded run replays step by step, and the explorer cell shows what the room has covered', async () => {
    const room = await roomWithAnOops();
    const p = await player('Ada');
    await p.page.goto(`${server.url}/`);
    await p.page.evaluate(([c, t]) => sessionStorage.setItem(`reaplab.token.${c}`, t!), [room.code, room.token]);
    await p.page.goto(`${server.url}/#/notebook/room-${room.code}`);
    const trace = p.page.locator('rl-nb-trace').first();
    await trace.waitFor({ timeout: 10_000 });
    await expect.poll(() => trace.getByRole('heading', { level: 2 }).textContent()).toContain('Kernel oops');
    await trace.getByRole('button', { name: '▶ Replay step by step' }).click();
    await trace.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => trace.locator('output').textContent()).toBe('step 0 of 9');
    for (let i = 0; i < 3; i++) await trace.getByRole('button', { name: 'Next', exact: true }).click();
    await expect.poll(() => trace.locator('output').textContent()).toBe('step 3 of 9');
    await expect.poll(() => trace.locator('.next').textContent()).toMatch(/Next: the Victim takes/);
    await trace.locator('input[type="range"]').fill('9');
    await expect.poll(() => trace.locator('.next').textContent()).toMatch(/Kernel oops/);
    await expect.poll(() => trace.locator('rl-state-view').count()).toBe(1);
    await screenshot(p.page, 'notebook/test-trace-replay');

    // The coverage the page shows is what the explorer and the run say.
    const runs = (await (await fetch(`${server.url}/api/rooms/${room.code}/traces`)).json()) as { data: Parameters<typeof traceRecordFromRun>[0][] };
    const record = traceRecordFromRun(runs.data[0]!);
    const report = exploreReport(makeScenario('rfc-v1', 'pgtable-heavy') as Scenario);
    const cov = coverage(report, [record]);
    const reachable = cov.outcomes.filter((o) => o.reachable).length;
    const explorer = p.page.locator('rl-nb-explorer').first();
    await explorer.scrollIntoViewIfNeeded();
    await expect.poll(() => explorer.locator('.headline').first().textContent(), { timeout: 10_000 }).toMatch(new RegExp(`^\\s*1\\s+of ${reachable} reachable outcomes found`));
    await expect.poll(() => explorer.locator('.headline').nth(1).textContent()).toMatch(new RegExp(`^\\s*1\\s+of ${cov.finals.total} distinct final states found`));
    await expect.poll(() => explorer.locator('rl-chart svg').count()).toBe(1);
    await screenshot(p.page, 'notebook/test-explorer-coverage');
    expect(p.errors).toEqual([]);
  });

  it('edits made offline are kept in the browser (IndexedDB) and merge when it is back, even from a new tab', async () => {
    const ada = await player('Ada');
    const bob = await player('Bob');
    await ada.page.goto(`${server.url}/#/notebook/nb-browser-offline`);
    await ada.page.getByRole('button', { name: '+ Note' }).click();
    await ada.page.locator('rl-nb-markdown textarea:focus').waitFor(); // the new note takes the focus once rendered
    await ada.page.keyboard.type('Written online.');
    await bob.page.goto(`${server.url}/#/notebook/nb-browser-offline`);
    const bobNote = bob.page.locator('rl-nb-markdown .rendered').first();
    await expect.poll(() => bobNote.textContent(), { timeout: 10_000 }).toContain('Written online.');
    await ada.context.setOffline(true);
    await expect.poll(() => ada.page.locator('.status').textContent(), { timeout: 10_000 }).toContain('Offline');
    await ada.page.keyboard.type(' Written on the train.');
    await ada.page.waitForTimeout(400); // y-indexeddb writes each update as it happens
    await screenshot(ada.page, 'notebook/test-offline');
    await ada.page.close();
    expect(await bobNote.textContent()).not.toContain('train');
    await ada.context.setOffline(false);
    const again = await ada.context.newPage();
    await again.goto(`${server.url}/#/notebook/nb-browser-offline`);
    await expect.poll(() => bobNote.textContent(), { timeout: 10_000 }).toContain('Written online. Written on the train.');
    // Being offline makes Chromium log the failed reconnect attempts; nothing else may go wrong.
    expect(ada.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed/.test(e))).toEqual([]);
    expect(bob.errors).toEqual([]);
  });
});

