// Manual look: `npx tsx test/notebook/screens.ts` builds the client, starts a server,
// plays two runs in a lesson room over the protocol, then saves 1280×720 screenshots of
// the room's notebook (as the host and as a spectator) and of a free notebook edited by
// two people at once, under test-artifacts/notebook/.
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { ensureClientBuilt, launchBrowser, newPlayer, screenshot, startServer } from '../browser/chromium.js';
import { connect, ok, shortestTrace } from '../server/helpers.js';

await ensureClientBuilt();
const server = await startServer();
const browser = await launchBrowser();
try {
  const host = await connect(server.url);
  const created = ok(await host.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Ada', lesson: 'rfc-v1-boot-crash' }));
  host.joined = created;
  const code = created.room.code;
  let version = 0;
  for (const outcome of ['oops', 'success'] as const) {
    for (const a of shortestTrace(created.room.scenario, outcome)) version = ok(await host.call('game:act', { ...a, version })).version;
    version = ok(await host.call('game:restart', { version })).version;
  }
  const { page, errors } = await newPlayer(browser, 'Ada');
  await page.goto(`${server.url}/`);
  await page.evaluate(([c, t]) => sessionStorage.setItem(`reaplab.token.${c}`, t!), [code, created.token]);
  await page.goto(`${server.url}/#/notebook/room-${code}`);
  await page.locator('rl-nb-trace').first().waitFor();
  await page.waitForTimeout(1200);
  await screenshot(page, 'notebook/01-room-top');
  await page.locator('rl-nb-explorer').scrollIntoViewIfNeeded();
  await page.waitForTimeout(400);
  await screenshot(page, 'notebook/02-explorer');
  await page.locator('rl-nb-trace').first().scrollIntoViewIfNeeded();
  await page.getByText('Replay step by step').first().click();
  await page.waitForTimeout(300);
  await page.getByRole('button', { name: 'Start', exact: true }).first().click();
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Next', exact: true }).first().click();
  await page.locator('rl-nb-trace').first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(500);
  await screenshot(page, 'notebook/03-trace-replay');
  await screenshot(page, 'notebook/04-room-full', true);
  for (const t of await page.locator('rl-nb-trace:not([compact])').all()) await t.getByRole('button', { name: 'Compare side by side' }).click();
  await page.waitForTimeout(400);
  for (const t of await page.locator('rl-nb-trace[compact]').all()) { await t.getByRole('button', { name: 'Start', exact: true }).click(); for (let i = 0; i < 5; i++) await t.getByRole('button', { name: 'Next', exact: true }).click(); }
  await page.locator('.compare').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(500);
  await screenshot(page, 'notebook/04b-side-by-side');

  const spectator = await newPlayer(browser, 'Sid');
  await spectator.page.goto(`${server.url}/#/notebook/room-${code}`);
  await spectator.page.locator('rl-nb-trace').first().waitFor();
  await spectator.page.waitForTimeout(600);
  await screenshot(spectator.page, 'notebook/05-spectator');

  const a = await newPlayer(browser, 'Ada');
  const b = await newPlayer(browser, 'Bob');
  await a.page.goto(`${server.url}/#/notebook/nb-screens`);
  await a.page.getByRole('button', { name: '+ Note' }).waitFor();
  await a.page.getByRole('button', { name: '+ Note' }).click();
  await a.page.locator('rl-nb-markdown textarea:focus').waitFor(); // the new note takes the focus once rendered
  await a.page.keyboard.type('# What we saw\n\nThe reaper frees the page tables while exit_mmap() still walks them.');
  await b.page.goto(`${server.url}/#/notebook/nb-screens`);
  await b.page.locator('rl-nb-markdown').first().waitFor();
  await b.page.locator('rl-nb-markdown').first().click();
  await b.page.keyboard.press('End');
  await b.page.keyboard.type(' Bob was here.');
  await a.page.waitForTimeout(700);
  await screenshot(a.page, 'notebook/06-two-editors-ada');
  await screenshot(b.page, 'notebook/07-two-editors-bob');
  console.log([...errors, ...spectator.errors, ...a.errors, ...b.errors].join('\n') || 'no page errors');
} finally {
  await browser.close();
  await server.close();
}
