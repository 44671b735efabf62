// The real server and the real browser, without a test runner: builds the client once
// (shared by every caller through a lock directory and a freshness check), starts the real
// server in-process on an ephemeral port with a temporary SQLite file and the real campaign,
// and launches Debian's Chromium (/usr/bin/chromium; never a downloaded browser) through
// playwright-core. Plain module, so benchmarks and screenshot scripts run it under tsx;
// the vitest hooks live in harness.ts.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createApp, type App } from '../../server/app.js';
import { clientIsStale } from '../../server/build-client.js';
import { loadCampaignCatalog } from '../../server/lessons.js';
import { silentLog } from '../../server/log.js';
import { SqliteStore } from '../../server/store/sqlite.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLIENT_DIR = join(ROOT, 'dist/client');
export const ARTIFACTS = join(ROOT, 'test-artifacts');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // Pages whose document the harness re-serves (to tighten its CSP) have no IP address of
  // their own; Chromium's local-network checks would then refuse their socket to 127.0.0.1.
  '--disable-features=LocalNetworkAccessChecks'];

/** Builds dist/client when it is missing or older than its sources; test files share one build. */
export async function ensureClientBuilt(): Promise<void> {
  const lock = join(ROOT, 'dist/.client-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; a lock older than two minutes is left over from a crash.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (waited > 120_000) throw new Error('timed out waiting for the client build lock');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!clientIsStale()) return;
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'client/vite.config.ts'), logLevel: 'warn' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface TestServer {
  app: App;
  url: string;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'reaplab-browser-'));
  const store = new SqliteStore(join(dir, 'test.sqlite'));
  const lessons = await loadCampaignCatalog(silentLog);
  const app = createApp({ store, lessons, clientDir: CLIENT_DIR, botDelayMs: 30 });
  const port = await app.listen(0, '127.0.0.1');
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  // launch() gives every run a fresh, temporary user-data-dir; contexts are isolated profiles.
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface Player {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/**
 * A CSP stricter than the server's (no 'unsafe-inline' styles): every test page is served
 * with it, and any violation is recorded as an error, so the client is proven not to need
 * inline styles or scripts.
 */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/** A fresh browser context at 1280×720 that records page errors, console errors and CSP violations. */
export async function newPlayer(browser: Browser, name?: string): Promise<Player> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  if (name) await context.addInitScript((n: string) => { localStorage.setItem('reaplab.name', n); }, name);
  await context.exposeBinding('reportCspViolation', (_source, text: string) => { errors.push(`csp: ${text}`); });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportCspViolation(t: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI || e.sample}`);
    });
  });
  await context.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': STRICT_CSP } });
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // Chromium logs CSP violations as console errors too; the listener above reports them once.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('Content Security Policy')) errors.push(`console: ${m.text()}`); });
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

/** Waits until a button is enabled (vitest has no web-first assertions). */
export async function waitEnabled(button: Locator, timeout = 10_000): Promise<void> {
  await button.waitFor({ timeout });
  const until = Date.now() + timeout;
  while (!(await button.isEnabled())) {
    if (Date.now() > until) throw new Error(`button stayed disabled: ${await button.textContent()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
