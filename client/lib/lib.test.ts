import { describe, expect, it } from 'vitest';
import { parseRoute } from '../controllers/route-controller.js';
import { actorKey, actorName } from './labels.js';
import { mergeProgress } from './progress.js';
import { sentence } from './text.js';

describe('client helpers', () => {
  it('routes hashes and the server join link', () => {
    expect(parseRoute('')).toMatchObject({ screen: 'lobby', segments: [] });
    expect(parseRoute('#/room/K7QX2M')).toMatchObject({ screen: 'room', segments: ['K7QX2M'] });
    const r = parseRoute('#/replay/rfc-v1/mlocked/a.A1?at=1');
    expect(r.segments).toEqual(['rfc-v1', 'mlocked', 'a.A1']);
    expect(r.query.get('at')).toBe('1');
    expect(parseRoute('', '/r/k7qx2m')).toMatchObject({ screen: 'room', segments: ['K7QX2M'] });
    expect(parseRoute('#/campaign', '/r/K7QX2M')).toMatchObject({ screen: 'campaign' });
    expect(parseRoute('', '/c/ab12cd')).toMatchObject({ screen: 'class', segments: ['AB12CD'] });
    expect(parseRoute('#/class/AB12CD/teach')).toMatchObject({ screen: 'class', segments: ['AB12CD', 'teach'] });
  });

  it('names actors and gives each one key', () => {
    expect(['victim', 'reaper', 'allocator', 'allocator2'].map(actorKey)).toEqual(['V', 'R', 'A', '2']);
    expect(actorName('allocator3')).toBe('Allocator 3');
  });

  it('merges local and server progress without losing either', () => {
    const local = { a: { done: false, outcomes: ['oops'], hints: 2, updated: 5 } };
    const remote = { a: { done: true, outcomes: [], hints: 0, updated: 0 }, b: { done: true, outcomes: [], hints: 0, updated: 0 } };
    expect(mergeProgress(local, remote)).toEqual({
      a: { done: true, outcomes: ['oops'], hints: 2, updated: 5 },
      b: { done: true, outcomes: [], hints: 0, updated: 0 },
    });
  });

  it('turns server messages into sentences', () => {
    expect(sentence('no room with code X; check the code')).toBe('No room with code X; check the code.');
    expect(sentence('Done.')).toBe('Done.');
  });
});
