import { describe, expect, it } from 'vitest';
import { explain, UNAVAILABLE_WORDS } from './explain.js';

describe('explain', () => {
  it('puts an unavailable refusal in words a player reads, and leaves other refusals as the server worded them', () => {
    expect(explain({ code: 'unavailable', message: 'terse' })).toEqual({ code: 'unavailable', message: UNAVAILABLE_WORDS });
    expect(UNAVAILABLE_WORDS).toMatch(/Nothing was changed/);
    expect(explain({ code: 'not_host', message: 'only the host' })).toEqual({ code: 'not_host', message: 'only the host' });
  });
});
