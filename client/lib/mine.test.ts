// "My runs and notebooks": what this browser remembers, and the recovery link that moves it
// to another browser with its seat and owner tokens.
import { describe, expect, it } from 'vitest';
import { forget, loadMine, MINE_MAX, parseRecovery, recoveryHash, rememberNotebook, rememberRoom, restoreMine } from './mine.js';

class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  get length() { return this.m.size; }
  clear() { this.m.clear(); }
  getItem(k: string) { return this.m.get(k) ?? null; }
  key(i: number) { return [...this.m.keys()][i] ?? null; }
  removeItem(k: string) { this.m.delete(k); }
  setItem(k: string, v: string) { this.m.set(k, String(v)); }
}

const token = (c: string) => c.repeat(24);

describe('my runs and notebooks', () => {
  it('remembers rooms and notebooks, most recent first, one entry each', () => {
    const s = new MemoryStorage();
    rememberRoom({ code: 'ROOM1', token: token('a'), title: 'The boot crash', classCode: null }, 1000, s);
    rememberRoom({ code: 'ROOM2', token: token('b'), title: '', classCode: 'CLS1' }, 2000, s);
    rememberRoom({ code: 'ROOM1', token: token('c'), title: '', classCode: null }, 3000, s);
    s.setItem('reaplab.notebook.owner.nb-mine1', token('o'));
    rememberNotebook({ id: 'nb-mine1', title: 'My notes' }, 1500, s);
    rememberNotebook({ id: 'room-ROOM1', title: '' }, 2500, s);
    const mine = loadMine(s);
    expect(mine.rooms).toEqual([
      { code: 'ROOM1', token: token('c'), title: 'The boot crash', classCode: null, seen: 3000 },
      { code: 'ROOM2', token: token('b'), title: '', classCode: 'CLS1', seen: 2000 },
    ]);
    expect(mine.notebooks.map((n) => [n.id, n.owner ?? null])).toEqual([['room-ROOM1', null], ['nb-mine1', token('o')]]);
    forget('room', 'ROOM2', s);
    expect(loadMine(s).rooms.map((r) => r.code)).toEqual(['ROOM1']);
  });

  it('keeps the most recent entries only', () => {
    const s = new MemoryStorage();
    for (let i = 0; i < MINE_MAX + 5; i++) rememberRoom({ code: `R${String(i).padStart(4, '0')}`, token: token('t'), title: '', classCode: null }, i, s);
    const rooms = loadMine(s).rooms;
    expect(rooms.length).toBe(MINE_MAX);
    expect(rooms.at(-1)!.code).toBe('R0005');
  });

  it('moves everything to another browser through the recovery link, owner tokens and name included', () => {
    const a = new MemoryStorage();
    a.setItem('reaplab.name', 'Ada Ü');
    rememberRoom({ code: 'ROOM1', token: token('a'), title: 'Ünïcode lesson', classCode: null }, 1000, a);
    a.setItem('reaplab.notebook.owner.nb-mine1', token('o'));
    rememberNotebook({ id: 'nb-mine1', title: 'My notes' }, 1500, a);
    const hash = recoveryHash(loadMine(a));
    expect(hash).toMatch(/^#\/mine\/restore\/[A-Za-z0-9_-]+$/);

    const b = new MemoryStorage();
    rememberRoom({ code: 'ROOM9', token: token('z'), title: 'already here', classCode: null }, 5000, b);
    const parsed = parseRecovery(hash.slice('#/mine/restore/'.length));
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(restoreMine(parsed, b)).toEqual({ rooms: 1, notebooks: 1 });
    const mine = loadMine(b);
    expect(mine.name).toBe('Ada Ü');
    expect(mine.rooms.map((r) => r.code)).toEqual(['ROOM9', 'ROOM1']);
    expect(mine.rooms[1]!.token).toBe(token('a'));
    expect(b.getItem('reaplab.notebook.owner.nb-mine1')).toBe(token('o'));
    // Restoring twice adds nothing.
    expect(restoreMine(parsed, b)).toEqual({ rooms: 0, notebooks: 0 });
  });

  it('says what is wrong with a damaged link and changes nothing', () => {
    expect(parseRecovery('%%%')).toMatch(/damaged/);
    expect(parseRecovery(btoa(JSON.stringify({ rooms: [{ code: 'no', token: 1 }] })))).toMatch(/not a reaplab recovery link/);
  });
});
