// chromium.ts is what benchmarks and screenshot scripts import under plain tsx: it must load
// outside the test runner (importing vitest there throws "failed to access its internal state").
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './chromium.js';

describe('the browser kit without a test runner', () => {
  it('loads in a plain Node process, and the vitest harness does not', () => {
    const load = (file: string) => spawnSync(process.execPath, ['--import', 'tsx', '-e', `await import('./test/browser/${file}')`], { cwd: ROOT, encoding: 'utf8' });
    const plain = load('chromium.ts');
    expect(plain.stderr).toBe('');
    expect(plain.status).toBe(0);
    // The control: the same load of the hooks module fails, so the check above can fail.
    const hooks = load('harness.ts');
    expect(hooks.status).not.toBe(0);
    expect(hooks.stderr).toMatch(/Vitest failed to access its internal state/);
  }, 60_000);
});
