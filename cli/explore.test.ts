// The explore command, run as a user runs it (a child process).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;

async function explore(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'cli/explore.ts', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('npm run explore', () => {
  it('--list names every variant and config', async () => {
    const r = await explore('--list');
    expect(r.code).toBe(0);
    for (const id of ['v4.14', 'v4.19', 'rfc-v1', 'rfc-highest-vm-end', 'rfc-split-pgtables', 'rfc-final', 'rfc-no-exit-skip', 'tetsuo-timeout', 'rientjes-timeout', 'upstream-6.x', 'pgtable-heavy', 'mlocked', 'driver-close', 'hugetlb-ppc', 'no-escape']) {
      expect(r.stdout).toContain(id);
    }
  });

  it('--json prints exactly one object with all five outcomes', async () => {
    const r = await explore('--variant', 'rfc-split-pgtables', '--config', 'driver-close', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['variant', 'config', 'complete', 'states', 'transitions', 'outcomes']);
    expect(out).toMatchObject({ variant: 'rfc-split-pgtables', config: 'driver-close', complete: true });
    expect(Object.keys(out.outcomes)).toEqual(['success', 'needless_kill', 'lockup', 'oops', 'panic']);
    expect(out.outcomes.lockup.reachable).toBe(true);
    expect(out.outcomes.lockup.steps).toBe(out.outcomes.lockup.trace.length);
    expect(out.outcomes.lockup.trace[0]).toEqual({ actor: 'allocator', step: 'A1' });
    expect(out.outcomes.oops).toEqual({ reachable: false });
  });

  it('prints a readable table with the traces as actor:step lines', async () => {
    const r = await explore('--variant', 'rfc-v1', '--config', 'pgtable-heavy');
    expect(r.stdout).toMatch(/^oops +yes +9$/m);
    expect(r.stdout).toContain('oops in 9 steps — NULL pointer dereference');
    expect(r.stdout).toMatch(/^ +9 +victim:free_pgd_range$/m);
  });

  it('reports a cut-short search as incomplete', async () => {
    const r = await explore('--variant', 'tetsuo-timeout', '--config', 'mlocked', '--json', '--max-states', '100');
    expect(JSON.parse(r.stdout)).toMatchObject({ complete: false, states: 100 });
  });

  it('explores a lesson file, and points at the line and column of a broken one', async () => {
    const ok = await explore('lessons/campaign/07-rfc-v1-boot-crash.yaml', '--json');
    expect(JSON.parse(ok.stdout)).toMatchObject({ variant: 'rfc-v1', complete: true });
    const dir = mkdtempSync(join(tmpdir(), 'reaplab-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'id: broken\nvariant: v9.99\n');
    const r = await explore(bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
  });

  it('rejects unknown ids with a pointer to --list', async () => {
    const r = await explore('--variant', 'v9.99', '--config', 'mlocked');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('unknown variant "v9.99" (see --list)\n');
  });
});
