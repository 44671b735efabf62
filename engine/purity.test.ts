// The lint rule that keeps engine/ pure must really fire: lint a few impure snippets as if
// they were engine files and expect an error for each.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function lintAsEngine(code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: 'engine/impure-example.ts' });
  return (r?.messages ?? []).map((m) => m.message);
}

describe('engine purity rule', () => {
  it.each([
    ['Math.random', 'export const x = Math.random();', 'engine/ is deterministic: use the seeded PRNG in the state.'],
    ['Date.now', 'export const t = Date.now();', 'engine/ has no clock.'],
    ['new Date', 'export const d = new Date();', 'engine/ has no clock.'],
    ['node:fs', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;", 'engine/ is pure: no Node built-ins.'],
    ['console', "export function f() { console.log('x'); }", 'engine/ is pure: no console.'],
    ['setTimeout', 'export function f() { setTimeout(() => 0, 1); }', 'engine/ is pure: no setTimeout.'],
    ['document', 'export const el = document.body;', 'engine/ is pure: no document.'],
  ])('rejects %s', async (_name, code, message) => {
    expect((await lintAsEngine(code)).join("\n")).toContain(message);
  });

  it('accepts pure code', async () => {
    expect(await lintAsEngine('export const add = (a: number, b: number): number => a + b;\n')).toEqual([]);
  });
});
