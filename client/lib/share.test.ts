import { describe, expect, it } from 'vitest';
import { CONFIGS, isScenarioError, makeScenario, type Action } from '../../engine/index.js';
import { parseShare, shareHash } from './share.js';

function parse(hash: string) {
  const [path, q] = hash.replace(/^#\//, '').split('?');
  const segs = path!.split('/');
  expect(segs[0]).toBe('replay');
  return parseShare(segs.slice(1), new URLSearchParams(q ?? ''));
}

describe('share links', () => {
  it('round-trips a reference scenario with actions and a step', () => {
    const s = makeScenario('rfc-v1', 'pgtable-heavy');
    if (isScenarioError(s)) throw new Error(s.message);
    const actions: Action[] = [{ actor: 'allocator', step: 'A1' }, { actor: 'victim', step: 'unmap:0' }, { actor: 'reaper', step: 'R3:1' }];
    const hash = shareHash({ scenario: s, actions, at: 2, lesson: 'first-oops' });
    expect(hash).toBe('#/replay/rfc-v1/pgtable-heavy/a.A1,v.unmap:0,r.R3:1?at=2&lesson=first-oops');
    expect(parse(hash)).toEqual({ scenario: s, actions, at: 2, lesson: 'first-oops' });
  });

  it('carries a lesson’s own config inline', () => {
    const s = makeScenario('rfc-final', CONFIGS.mlocked, { free: 2, id: 'mine' });
    if (isScenarioError(s)) throw new Error(s.message);
    const hash = shareHash({ scenario: s, actions: [] });
    expect(hash).toMatch(/^#\/replay\/rfc-final\/~[A-Za-z0-9_-]+\/-$/);
    expect(parse(hash)).toEqual({ scenario: s, actions: [] });
  });

  it('explains broken links', () => {
    expect(parse('#/replay/nope/pgtable-heavy/-')).toMatch(/does not exist/);
    expect(parse('#/replay/rfc-v1/pgtable-heavy/x.A1')).toMatch(/damaged step/);
    expect(parse('#/replay/rfc-v1')).toMatch(/does not name a scenario/);
  });
});
