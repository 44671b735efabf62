// Manual look: `npx tsx test/browser/screens.ts` builds the client, starts a server and
// saves a 1280×720 screenshot of every screen under test-artifacts/screens/.
import { explore, isScenarioError, makeScenario } from '../../engine/index.js';
import { shareHash } from '../../client/lib/share.js';
import { ensureClientBuilt, launchBrowser, newPlayer, screenshot, startServer } from './chromium.js';

await ensureClientBuilt();
const server = await startServer();
const browser = await launchBrowser();
try {
  const { page, errors } = await newPlayer(browser, 'Ada');
  const shot = (n: string, full = false) => screenshot(page, `screens/${n}`, full);
  await page.goto(`${server.url}/`);
  await page.getByText('Play the campaign').first().waitFor();
  await page.waitForTimeout(300);
  await shot('01-lobby');
  await page.goto(`${server.url}/#/campaign`);
  await page.locator('[data-lesson]').first().waitFor();
  await shot('02-campaign');
  await page.goto(`${server.url}/#/lesson/tutorial`);
  await page.locator('rl-actor-panel').first().waitFor();
  await page.waitForTimeout(500);
  await shot('03-game-start');
  for (const k of ['A', 'A']) { await page.keyboard.press(k); await page.waitForTimeout(150); }
  await page.waitForTimeout(300);
  await shot('04-game-after-kill');
  await shot('04b-game-full', true);
  for (const k of ['V', 'V', 'V', 'A', 'A']) { await page.keyboard.press(k); await page.waitForTimeout(150); }
  await page.waitForTimeout(600);
  await shot('05-outcome');
  await page.goto(`${server.url}/#/replay/rfc-v1/pgtable-heavy/a.A1,a.A2,v.mmput,v.unmap:0,v.down_write,v.unlink_all,v.mmap_null,v.up_write,v.free_pgd_range?at=4`);
  await page.locator('rl-replay').waitFor();
  await page.waitForTimeout(500);
  await shot('06-replay');
  {
    const sc = makeScenario('rfc-v1', 'hugetlb-ppc');
    if (isScenarioError(sc)) throw new Error(sc.message);
    const nk = explore(sc).outcomes.needless_kill;
    if (nk.reachable) {
      await page.goto(`${server.url}/${shareHash({ scenario: sc, actions: nk.trace })}`);
      await page.locator('rl-replay').waitFor();
      await page.waitForTimeout(500);
      await shot('06b-replay-long', true);
    }
  }
  await page.goto(`${server.url}/#/notebook/demo`);
  await page.waitForTimeout(300);
  await shot('07-notebook');
  await page.goto(`${server.url}/#/room/ZZZZZZ`);
  await page.waitForTimeout(800);
  await shot('08-unknown-room');
  const code = await (async () => {
    await page.goto(`${server.url}/#/play/rfc-final/driver-close/race`);
    await page.locator('[data-room-code]').waitFor();
    return (await page.locator('[data-room-code]').textContent())!.trim();
  })();
  const guest = await newPlayer(browser);
  await guest.page.goto(`${server.url}/r/${code}`);
  await guest.page.waitForTimeout(500);
  await screenshot(guest.page, 'screens/09-name-prompt');
  await guest.page.getByLabel(/Your name/).fill('Gus');
  await guest.page.getByRole('button', { name: 'Join' }).click();
  await guest.page.locator('rl-actor-panel').first().waitFor();
  await guest.page.waitForTimeout(1500);
  await screenshot(guest.page, 'screens/10-spectator-race');
  // The host keeps the host's powers while playing an actor; the players card gives seats away.
  // (The lazy bots have played the free-play race to its end by now: look at the board.)
  const look = page.getByRole('button', { name: 'Look at the board' });
  if (await look.isVisible()) await look.click();
  await page.locator('rl-actor-panel[data-actor="allocator"]').getByRole('button', { name: 'Claim' }).click();
  await page.locator('rl-actor-panel[data-actor="allocator"] .chip', { hasText: 'you' }).waitFor();
  await page.waitForTimeout(300);
  await page.locator('rl-game section.players').screenshot({ path: 'test-artifacts/screens/11-players-host.png' });
  await guest.page.locator('rl-game section.players').screenshot({ path: 'test-artifacts/screens/11b-players-guest.png' });

  // The class path: open a class, the dashboard, a student joining.
  await page.goto(`${server.url}/#/teach`);
  await page.locator('[data-test="class-lesson"]').waitFor();
  await page.waitForTimeout(300);
  await shot('12-class-open');
  await page.locator('[data-test="open-class"]').click();
  await page.locator('[data-class-code]').waitFor();
  const classCode = (await page.locator('[data-class-code]').textContent())!.trim();
  const pupils = [];
  for (const name of ['Ana', 'Ben', 'Cai', 'Dee']) {
    const s = await newPlayer(browser);
    pupils.push(s);
    await s.page.goto(`${server.url}/c/${classCode}`);
    await s.page.getByLabel('Your name').fill(name);
    if (name === 'Dee') await screenshot(s.page, 'screens/13-class-join');
    await s.page.locator('[data-test="join-class"]').click();
    await s.page.locator('rl-game [data-room-code]').waitFor();
  }
  await page.waitForTimeout(800);
  await shot('14-class-dashboard');
  await screenshot(pupils[3]!.page, 'screens/15-class-room-alone');
  // Dee, alone in her room, hands every seat to a bot and watches a run end.
  {
    const dee = pupils[3]!.page;
    await dee.locator('rl-actor-panel[data-actor="victim"]').getByRole('button', { name: 'Release' }).click();
    for (const role of ['victim', 'reaper', 'allocator']) {
      await dee.locator(`select[data-bot-role="${role}"]`).selectOption('random');
      await dee.locator(`select[data-bot-role="${role}"] option[value="random"][selected]`).waitFor({ state: 'attached' });
    }
    await dee.locator('rl-outcome [role="dialog"]').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1200);
    await shot('14b-class-dashboard-found');
  }
  // A pick-grouping class: the room list.
  {
    await page.goto(`${server.url}/#/teach`);
    await page.locator('[data-test="class-lesson"]').waitFor();
    await page.getByText('Students pick').click();
    await page.locator('[data-test="open-class"]').click();
    await page.locator('[data-class-code]').waitFor();
    const pickCode = (await page.locator('[data-class-code]').textContent())!.trim();
    const first = await newPlayer(browser);
    await first.page.goto(`${server.url}/c/${pickCode}`);
    await first.page.getByLabel('Your name').fill('Eve');
    await first.page.locator('[data-test="join-class"]').click();
    await first.page.getByRole('button', { name: 'Start a new room' }).click();
    await first.page.locator('rl-game [data-room-code]').waitFor();
    const second = await newPlayer(browser);
    await second.page.goto(`${server.url}/c/${pickCode}`);
    await second.page.getByLabel('Your name').fill('Fay');
    await second.page.locator('[data-test="join-class"]').click();
    await second.page.getByRole('button', { name: 'Sit here' }).waitFor();
    await screenshot(second.page, 'screens/16-class-pick');
  }
  // The note a click that lost the race gets (the text comes from client/lib/stale.ts).
  {
    await page.goto(`${server.url}/#/lesson/rfc-starved-exit`);
    await page.locator('rl-actor-panel[data-actor="allocator"] button.step').waitFor();
    await page.evaluate(() => document.querySelector('rl-app')!.dispatchEvent(new CustomEvent('rl-toast', { detail: {
      kind: 'info', text: 'The OOM reaper (a random bot) moved first — your step “try the allocation” is still there. Look again, then press it.' } })));
    await page.waitForTimeout(200);
    await screenshot(page, 'screens/17-stale-note');
  }
  console.log(errors.length || guest.errors.length ? [...errors, ...guest.errors].join('\n') : 'no page errors');
} finally {
  await browser.close();
  await server.close();
}
