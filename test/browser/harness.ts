// Browser-test harness: the vitest hooks around chromium.ts (server + Chromium per test file).
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensureClientBuilt, launchBrowser, startServer, type TestServer } from './chromium.js';

export * from './chromium.js';

/**
 * Registers this test file's hooks: build the client, start a server and launch Chromium
 * before its tests, close both after. Read `server` and `browser` inside the tests.
 */
export function useServerAndBrowser(): { server: TestServer; browser: Browser } {
  const env = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    await ensureClientBuilt();
    [env.server, env.browser] = await Promise.all([startServer(), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
