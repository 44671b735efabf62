// The storage contract: one suite that every implementation of the Store port must pass,
// in either form (SQLite's synchronous Store in ./sqlite.test.ts, PostgreSQL's AsyncStore
// in ./postgres.test.ts). It speaks only through the port and awaits every call (awaiting
// a plain result is harmless), so what it pins is what the services may rely on.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeScenario, type Scenario } from '../../engine/index.js';
import type { RunResult, RunTrace, TraceStep } from '../../protocol/events.js';
import { teacherLessonContract } from './contract-teacher-lessons.js';
import type { AnyStore, NotebookRecord, PlayerRecord, RoomRecord, RunFinish } from './port.js';

/** Opens the implementation under test on one fresh database. */
export interface StoreFactory {
  /** Opens the database (again after a close(): the same data, as after a restart). */
  open(): AnyStore | Promise<AnyStore>;
  /** Drops the database (after the last store opened on it was closed). */
  dispose(): void | Promise<void>;
}

/** The call is refused: it throws or its promise rejects. */
async function refused(call: () => unknown): Promise<void> {
  await expect((async () => call())()).rejects.toThrow();
}

const scenario = makeScenario('v4.19', 'mlocked') as Scenario;
const human = { kind: 'human' as const, playerId: 'p1', name: 'Ada' };
const bot = { kind: 'bot' as const, bot: 'lazy' as const };

export function roomRecord(code: string, over: Partial<RoomRecord> = {}): RoomRecord {
  return {
    code, lesson: 'lesson-a', scenario, mode: 'race', bots: { victim: 'lazy', reaper: null, allocator: 'random' }, seed: 7, runSeed: 8,
    version: 0, run: 1, runStartedAt: 100, result: null, classCode: null, hostId: null, createdAt: 100, ...over,
  };
}

const player = (id: string, over: Partial<PlayerRecord> = {}): PlayerRecord => ({ id, tokenHash: `hash-${id}`, name: id, role: 'spectator', joinedAt: 1, ...over });
const stepOf = (n: number): TraceStep => ({ actor: 'allocator', step: `A${n}`, by: human });

function finishOf(id: string, over: Partial<RunTrace> = {}, winners: RunFinish['winners'] = []): RunFinish {
  const trace: RunTrace = {
    id, room: 'ROOMAA', classCode: null, lesson: 'lesson-a', run: 1, scenario, actions: [stepOf(0)], outcome: 'success',
    needlessKill: false, verdict: winners.length ? 'win' : 'lose', players: { allocator: ['Ada'] }, seed: 8,
    startedAt: new Date(100).toISOString(), finishedAt: new Date(200).toISOString(), ...over,
  };
  const result: RunResult = { outcome: 'success', needlessKill: false, verdict: trace.verdict, text: 'done', traceId: id };
  return { trace, result, winners };
}

const notebook = (id: string, over: Partial<NotebookRecord> = {}): NotebookRecord => ({
  id, kind: 'free', ref: null, ownerHash: 'owner', policy: { spectators: 'read', visitors: 'player', locked: false }, createdAt: 5, ...over,
});
const bytes = (...b: number[]) => new Uint8Array(b);

export function describeStoreContract(name: string, factory: () => StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let f: StoreFactory;
    let s: AnyStore;
    const reopen = async () => {
      await s.close();
      s = await f.open();
      return s;
    };
    beforeEach(async () => {
      f = factory();
      s = await f.open();
    });
    afterEach(async () => {
      await s.close();
      await f.dispose();
    });

    describe('rooms', () => {
      it('round-trips a room and its host; an unknown room is null; codes of rooms and classes are taken', async () => {
        const rec = roomRecord('ROOMAA', { hostId: 'p1', classCode: null });
        await s.createRoom(rec, player('p1', { role: 'allocator' }));
        expect(await s.loadRoom('ROOMAA')).toEqual({ room: rec, players: [player('p1', { role: 'allocator' })], actions: [] });
        expect(await s.loadRoom('NOROOM')).toBeNull();
        await s.createClass({ code: 'CLASSA', lesson: 'l', grouping: 'auto', mode: 'race', teacherHash: 't', teacherName: 'T', closed: false, paused: false, studentsControl: false, createdAt: 1 });
        expect([await s.codeTaken('ROOMAA'), await s.codeTaken('CLASSA'), await s.codeTaken('NOROOM')]).toEqual([true, true, false]);
      });

      it('a room without a first player has no players', async () => {
        await s.createRoom(roomRecord('ROOMAA'), null);
        expect((await s.loadRoom('ROOMAA'))!.players).toEqual([]);
      });

      it('a second room with the same code is refused and changes nothing', async () => {
        await s.createRoom(roomRecord('ROOMAA'), null);
        await refused(() => s.createRoom(roomRecord('ROOMAA', { seed: 99 }), player('p9')));
        expect(await s.loadRoom('ROOMAA')).toEqual({ room: roomRecord('ROOMAA'), players: [], actions: [] });
      });

      it('patches exactly the fields given', async () => {
        await s.createRoom(roomRecord('ROOMAA'), null);
        const result = finishOf('t1').result;
        await s.updateRoom('ROOMAA', { mode: 'scheduler', bots: { victim: null, reaper: 'random', allocator: null }, seed: 11, runSeed: 12, hostId: 'p2' });
        await s.updateRoom('ROOMAA', { version: 5, run: 2, runStartedAt: 300, result });
        await s.updateRoom('ROOMAA', {});
        expect((await s.loadRoom('ROOMAA'))!.room).toEqual(roomRecord('ROOMAA', {
          mode: 'scheduler', bots: { victim: null, reaper: 'random', allocator: null }, seed: 11, runSeed: 12, hostId: 'p2', version: 5, run: 2, runStartedAt: 300, result,
        }));
        await s.updateRoom('ROOMAA', { result: null, hostId: null });
        expect((await s.loadRoom('ROOMAA'))!.room).toMatchObject({ result: null, hostId: null, version: 5 });
      });

      it('lists a class\'s rooms oldest first', async () => {
        await s.createRoom(roomRecord('ROOMBB', { classCode: 'CLASSA', createdAt: 20 }), null);
        await s.createRoom(roomRecord('ROOMAA', { classCode: 'CLASSA', createdAt: 10 }), null);
        await s.createRoom(roomRecord('ROOMCC', { classCode: 'CLASSB', createdAt: 5 }), null);
        expect(await s.listClassRooms('CLASSA')).toEqual(['ROOMAA', 'ROOMBB']);
        expect(await s.listClassRooms('NOCLASS')).toEqual([]);
      });
    });

    describe('players', () => {
      it('inserts and updates players (token, name, role; joinedAt stays), lists them by joinedAt then id, removes them', async () => {
        await s.createRoom(roomRecord('ROOMAA'), null);
        await s.upsertPlayer('ROOMAA', player('pb', { joinedAt: 2 }));
        await s.upsertPlayer('ROOMAA', player('pa', { joinedAt: 2 }));
        await s.upsertPlayer('ROOMAA', player('pc', { joinedAt: 1 }));
        await s.upsertPlayer('ROOMAA', player('pb', { tokenHash: 'new', name: 'Ben', role: 'victim', joinedAt: 99 }));
        expect((await s.loadRoom('ROOMAA'))!.players).toEqual([player('pc', { joinedAt: 1 }), player('pa', { joinedAt: 2 }), player('pb', { tokenHash: 'new', name: 'Ben', role: 'victim', joinedAt: 2 })]);
        await s.upsertPlayers('ROOMAA', [player('pa', { role: 'reaper', joinedAt: 2 }), player('pb', { tokenHash: 'new', name: 'Ben', role: 'spectator', joinedAt: 2 })]);
        expect((await s.loadRoom('ROOMAA'))!.players.map((p) => p.role)).toEqual(['spectator', 'reaper', 'spectator']);
        await s.removePlayer('ROOMAA', 'pc');
        await s.removePlayer('ROOMAA', 'nobody');
        expect((await s.loadRoom('ROOMAA'))!.players.map((p) => p.id)).toEqual(['pa', 'pb']);
      });

      it('players belong to their room', async () => {
        await s.createRoom(roomRecord('ROOMAA'), player('p1'));
        await s.createRoom(roomRecord('ROOMBB'), player('p1', { name: 'other' }));
        await s.removePlayer('ROOMBB', 'p1');
        expect((await s.loadRoom('ROOMAA'))!.players).toEqual([player('p1')]);
        expect((await s.loadRoom('ROOMBB'))!.players).toEqual([]);
      });
    });

    describe('actions and runs', () => {
      it('appends steps in order with their patch, truncates to a prefix with its patch', async () => {
        await s.createRoom(roomRecord('ROOMAA'), null);
        await s.appendAction('ROOMAA', 0, stepOf(0), { version: 1 }, null);
        await s.appendAction('ROOMAA', 1, { actor: 'victim', step: 'V1', by: bot }, { version: 2, mode: 'scheduler' }, null);
        await s.appendAction('ROOMAA', 2, stepOf(2), { version: 3 }, null);
        let l = (await s.loadRoom('ROOMAA'))!;
        expect(l.actions).toEqual([stepOf(0), { actor: 'victim', step: 'V1', by: bot }, stepOf(2)]);
        expect(l.room).toMatchObject({ version: 3, mode: 'scheduler' });
        await s.truncateActions('ROOMAA', 1, { version: 4, run: 2, runSeed: 9, runStartedAt: 400, result: null });
        l = (await s.loadRoom('ROOMAA'))!;
        expect(l.actions).toEqual([stepOf(0)]);
        expect(l.room).toMatchObject({ version: 4, run: 2, runSeed: 9, runStartedAt: 400 });
        await s.truncateActions('ROOMAA', 0, { version: 5 });
        expect((await s.loadRoom('ROOMAA'))!.actions).toEqual([]);
        await s.appendAction('ROOMAA', 0, stepOf(7), { version: 6 }, null);
        expect((await s.loadRoom('ROOMAA'))!.actions).toEqual([stepOf(7)]);
      });

      it('a step at an index already taken is refused whole: no step, no patch, no trace, no progress', async () => {
        await s.createRoom(roomRecord('ROOMAA'), null);
        await s.appendAction('ROOMAA', 0, stepOf(0), { version: 1 }, null);
        const fin = finishOf('t1', {}, [{ key: 'ada', name: 'Ada' }]);
        await refused(() => s.appendAction('ROOMAA', 0, stepOf(9), { version: 2, result: fin.result }, fin));
        const l = (await s.loadRoom('ROOMAA'))!;
        expect(l.room).toMatchObject({ version: 1, result: null });
        expect(l.actions).toEqual([stepOf(0)]);
        expect(await s.getTrace('t1')).toBeNull();
        expect(await s.getProgress('ada')).toBeNull();
      });

      it('finishing a run stores its trace and credits the winners with the lesson, once', async () => {
        await s.createRoom(roomRecord('ROOMAA'), null);
        const fin = finishOf('t1', {}, [{ key: 'ada', name: 'Ada' }, { key: 'ben', name: 'Ben' }]);
        await s.appendAction('ROOMAA', 0, stepOf(0), { version: 1, result: fin.result }, fin);
        expect(await s.getTrace('t1')).toEqual(fin.trace);
        expect((await s.loadRoom('ROOMAA'))!.room.result).toEqual(fin.result);
        expect(await s.getProgress('ada')).toEqual({ name: 'Ada', won: ['lesson-a'] });
        expect(await s.getProgress('ben')).toEqual({ name: 'Ben', won: ['lesson-a'] });
        // The same lesson won again, under a new spelling, later: still one win; a lesson won later comes after.
        await s.truncateActions('ROOMAA', 0, { version: 2, result: null });
        const again = finishOf('t2', { finishedAt: new Date(300).toISOString() }, [{ key: 'ada', name: 'ADA' }]);
        await s.appendAction('ROOMAA', 0, stepOf(0), { version: 3 }, again);
        const other = finishOf('t3', { lesson: 'lesson-b', finishedAt: new Date(400).toISOString() }, [{ key: 'ada', name: 'Ada L.' }]);
        await s.appendAction('ROOMAA', 1, stepOf(1), { version: 4 }, other);
        expect(await s.getProgress('ada')).toEqual({ name: 'Ada L.', won: ['lesson-a', 'lesson-b'] });
        expect(await s.getProgress('nobody')).toBeNull();
      });

      it('a run without a lesson credits nobody', async () => {
        await s.createRoom(roomRecord('ROOMAA', { lesson: null }), null);
        const fin = finishOf('t1', { lesson: null }, [{ key: 'ada', name: 'Ada' }]);
        await s.appendAction('ROOMAA', 0, stepOf(0), { version: 1 }, fin);
        expect(await s.getTrace('t1')).toEqual(fin.trace);
        expect(await s.getProgress('ada')).toBeNull();
      });

      it('lists a room\'s runs newest first up to a limit, and a class\'s runs oldest first', async () => {
        await s.createRoom(roomRecord('ROOMAA'), null);
        const runs = [300, 100, 200].map((t, i) => finishOf(`t${i}`, { finishedAt: new Date(t).toISOString(), classCode: i === 1 ? null : 'CLASSA' }));
        for (const [i, r] of runs.entries()) await s.appendAction('ROOMAA', i, stepOf(i), { version: i + 1 }, r);
        expect((await s.listTraces('ROOMAA', 10)).map((t) => t.id)).toEqual(['t0', 't2', 't1']);
        expect((await s.listTraces('ROOMAA', 2)).map((t) => t.id)).toEqual(['t0', 't2']);
        expect(await s.listTraces('NOROOM', 10)).toEqual([]);
        expect((await s.listClassTraces('CLASSA')).map((t) => t.id)).toEqual(['t2', 't0']);
        expect(await s.getTrace('nope')).toBeNull();
      });
    });

    describe('classes', () => {
      it('round-trips a class and closes it', async () => {
        const c = { code: 'CLASSA', lesson: 'lesson-a', grouping: 'pick' as const, mode: 'scheduler' as const, teacherHash: 'th', teacherName: 'Ms T', closed: false, paused: false, studentsControl: false, createdAt: 7 };
        await s.createClass(c);
        expect(await s.getClass('CLASSA')).toEqual(c);
        await s.closeClass('CLASSA');
        expect(await s.getClass('CLASSA')).toEqual({ ...c, closed: true });
        await s.setTeacherHash('CLASSA', 'th2');
        expect(await s.getClass('CLASSA')).toEqual({ ...c, closed: true, teacherHash: 'th2' });
        await s.setClassControls('CLASSA', { paused: true, studentsControl: true });
        expect(await s.getClass('CLASSA')).toEqual({ ...c, closed: true, teacherHash: 'th2', paused: true, studentsControl: true });
        await s.setClassControls('CLASSA', { paused: false, studentsControl: true });
        expect(await s.getClass('CLASSA')).toEqual({ ...c, closed: true, teacherHash: 'th2', paused: false, studentsControl: true });
        expect(await s.getClass('NOCLASS')).toBeNull();
      });
    });

    describe('notebooks', () => {
      it('creates a notebook with its first update and recorded runs; sets its policy', async () => {
        const n = s.notebooks;
        await n.create(notebook('nb1', { kind: 'room', ref: 'ROOMAA', ownerHash: null }), bytes(1, 2, 3), ['t1', 't2']);
        await n.create(notebook('nb2'), null);
        expect(await n.get('nb1')).toEqual(notebook('nb1', { kind: 'room', ref: 'ROOMAA', ownerHash: null }));
        expect(await n.updates('nb1')).toEqual([{ seq: 0, data: bytes(1, 2, 3) }]);
        expect(await n.updates('nb2')).toEqual([]);
        expect(await n.traces('nb1')).toEqual(new Set(['t1', 't2']));
        expect(await n.get('none')).toBeNull();
        await n.setPolicy('nb2', { spectators: 'edit', visitors: 'spectator', locked: true });
        expect((await n.get('nb2'))!.policy).toEqual({ spectators: 'edit', visitors: 'spectator', locked: true });
      });

      it('appends updates in seq order, records a run at most once, and reports its size', async () => {
        const n = s.notebooks;
        await n.create(notebook('nb1'), bytes(0));
        await n.append('nb1', 2, bytes(2, 2));
        await n.append('nb1', 1, bytes(1), ['t1']);
        await n.append('nb1', 3, bytes(3), ['t1', 't2']);
        expect(await n.updates('nb1')).toEqual([{ seq: 0, data: bytes(0) }, { seq: 1, data: bytes(1) }, { seq: 2, data: bytes(2, 2) }, { seq: 3, data: bytes(3) }]);
        expect(await n.traces('nb1')).toEqual(new Set(['t1', 't2']));
        expect([await n.hasTrace('nb1', 't2'), await n.hasTrace('nb1', 't3')]).toEqual([true, false]);
        expect(await n.stats('nb1')).toEqual({ rows: 4, bytes: 5, last: 3 });
        expect(await n.stats('none')).toEqual({ rows: 0, bytes: 0, last: -1 });
      });

      it('an append at a seq already taken is refused whole, and so is a batch that throws', async () => {
        const n = s.notebooks;
        await n.create(notebook('nb1'), bytes(0));
        await refused(() => n.append('nb1', 0, bytes(9), ['t1']));
        expect(await n.traces('nb1')).toEqual(new Set());
        // The appends inside a batch are not awaited one by one: the batch commits them together.
        await refused(() => n.batch(() => {
          void n.append('nb1', 1, bytes(1));
          void n.append('nb1', 1, bytes(1));
        }));
        expect(await n.updates('nb1')).toEqual([{ seq: 0, data: bytes(0) }]);
        await n.batch(() => {
          void n.append('nb1', 1, bytes(1));
          void n.append('nb1', 2, bytes(2), ['t2']);
        });
        expect((await n.stats('nb1')).last).toBe(2);
        expect(await n.hasTrace('nb1', 't2')).toBe(true);
      });

      it('compaction replaces the rows up to a seq by one', async () => {
        const n = s.notebooks;
        await n.create(notebook('nb1'), bytes(0));
        for (let i = 1; i <= 4; i++) await n.append('nb1', i, bytes(i));
        await n.replaceUpTo('nb1', 3, bytes(7, 7));
        expect(await n.updates('nb1')).toEqual([{ seq: 3, data: bytes(7, 7) }, { seq: 4, data: bytes(4) }]);
        await n.append('nb1', 5, bytes(5));
        expect(await n.stats('nb1')).toEqual({ rows: 3, bytes: 4, last: 5 });
      });

      it('links rooms and notebooks both ways, oldest first; linking again keeps the first time', async () => {
        const n = s.notebooks;
        await n.link('ROOMAA', 'nb1', 20);
        await n.link('ROOMBB', 'nb1', 10);
        await n.link('ROOMAA', 'nb2', 5);
        await n.link('ROOMAA', 'nb1', 99);
        expect(await n.linksOfNotebook('nb1')).toEqual([{ room: 'ROOMBB', createdAt: 10 }, { room: 'ROOMAA', createdAt: 20 }]);
        expect(await n.linksOfRoom('ROOMAA')).toEqual([{ notebook: 'nb2', createdAt: 5 }, { notebook: 'nb1', createdAt: 20 }]);
        expect(await n.linksOfRoom('NOROOM')).toEqual([]);
      });

      it('records who owns a Yjs client id; the first claim wins, and it survives a reopen', async () => {
        const n = s.notebooks;
        await n.claimClient('nb1', 42, 'key-a');
        await n.claimClient('nb1', 42, 'key-b');
        await n.claimClient('nb1', 0xffffffff, 'key-b');
        await n.claimClient('nb2', 42, 'key-c');
        await reopen();
        expect(await s.notebooks.clients('nb1')).toEqual(new Map([[42, 'key-a'], [0xffffffff, 'key-b']]));
        expect(await s.notebooks.clients('nb2')).toEqual(new Map([[42, 'key-c']]));
        expect(await s.notebooks.clients('none')).toEqual(new Map());
      });
    });

    describe('retention', () => {
      it('knows when things were last used and lists the unused, least recently used first', async () => {
        const r = s.retention;
        await s.createRoom(roomRecord('ROOMAA', { createdAt: 100 }), null);
        await s.createRoom(roomRecord('ROOMBB', { createdAt: 50 }), null);
        await s.createClass({ code: 'CLASSA', lesson: 'l', grouping: 'auto', mode: 'race', teacherHash: 't', teacherName: 'T', closed: false, paused: false, studentsControl: false, createdAt: 10 });
        await s.notebooks.create(notebook('nb1', { createdAt: 5 }), bytes(1));
        expect([await r.usedAt('room', 'ROOMAA'), await r.usedAt('class', 'CLASSA'), await r.usedAt('notebook', 'nb1'), await r.usedAt('room', 'NOROOM')]).toEqual([100, 10, 5, null]);
        await r.touch('room', 'ROOMBB', 300);
        await r.touch('room', 'ROOMBB', 200);
        expect(await r.usedAt('room', 'ROOMBB')).toBe(300);
        expect(await r.unused('room', 301, 10)).toEqual(['ROOMAA', 'ROOMBB']);
        expect(await r.unused('room', 300, 10)).toEqual(['ROOMAA']);
        expect(await r.unused('room', 100, 10)).toEqual([]);
        expect(await r.unused('room', 301, 1)).toEqual(['ROOMAA']);
        expect(await r.unused('class', 11, 10)).toEqual(['CLASSA']);
        expect(await r.unused('notebook', 5, 10)).toEqual([]);
      });

      it('removes a room with its players, steps, runs and links, and nothing else', async () => {
        await s.createRoom(roomRecord('ROOMAA'), player('p1'));
        await s.createRoom(roomRecord('ROOMBB'), player('p2'));
        const fa = finishOf('ta', { room: 'ROOMAA' });
        const fb = finishOf('tb', { room: 'ROOMBB' });
        await s.appendAction('ROOMAA', 0, stepOf(0), { version: 1, result: fa.result }, fa);
        await s.appendAction('ROOMBB', 0, stepOf(0), { version: 1, result: fb.result }, fb);
        await s.notebooks.link('ROOMAA', 'nb1', 1);
        await s.notebooks.link('ROOMBB', 'nb1', 2);
        await s.retention.deleteRoom('ROOMAA');
        expect([await s.loadRoom('ROOMAA'), await s.getTrace('ta'), await s.codeTaken('ROOMAA')]).toEqual([null, null, false]);
        expect((await s.loadRoom('ROOMBB'))!.players.map((p) => p.id)).toEqual(['p2']);
        expect(await s.getTrace('tb')).not.toBeNull();
        expect(await s.notebooks.linksOfNotebook('nb1')).toEqual([{ room: 'ROOMBB', createdAt: 2 }]);
      });

      it('removes a class with its rooms and their runs; a notebook with its log, runs and links', async () => {
        await s.createClass({ code: 'CLASSA', lesson: 'l', grouping: 'auto', mode: 'race', teacherHash: 't', teacherName: 'T', closed: false, paused: false, studentsControl: false, createdAt: 1 });
        await s.createRoom(roomRecord('ROOMAA', { classCode: 'CLASSA' }), player('p1'));
        await s.createRoom(roomRecord('ROOMBB', { classCode: null }), null);
        const fa = finishOf('ta', { room: 'ROOMAA', classCode: 'CLASSA' });
        await s.appendAction('ROOMAA', 0, stepOf(0), { version: 1, result: fa.result }, fa);
        expect(await s.retention.deleteClass('CLASSA')).toEqual(['ROOMAA']);
        expect([await s.getClass('CLASSA'), await s.loadRoom('ROOMAA'), await s.getTrace('ta'), await s.listClassTraces('CLASSA')]).toEqual([null, null, null, []]);
        expect(await s.loadRoom('ROOMBB')).not.toBeNull();

        await s.notebooks.create(notebook('nb1'), bytes(1), ['t1']);
        await s.notebooks.create(notebook('nb2'), bytes(2), ['t1']);
        await s.notebooks.link('ROOMBB', 'nb1', 1);
        await s.retention.deleteNotebook('nb1');
        expect([await s.notebooks.get('nb1'), await s.notebooks.updates('nb1'), await s.notebooks.traces('nb1'), await s.notebooks.linksOfRoom('ROOMBB')]).toEqual([null, [], new Set(), []]);
        expect(await s.notebooks.updates('nb2')).toEqual([{ seq: 0, data: bytes(2) }]);
      });
    });

    describe('lessons written in the browser', () => teacherLessonContract(() => s, reopen));

    it('keeps everything across a close and a reopen (a restart)', async () => {
      await s.createRoom(roomRecord('ROOMAA', { hostId: 'p1' }), player('p1'));
      const fin = finishOf('t1', {}, [{ key: 'ada', name: 'Ada' }]);
      await s.appendAction('ROOMAA', 0, stepOf(0), { version: 1, result: fin.result }, fin);
      await s.createClass({ code: 'CLASSA', lesson: 'l', grouping: 'auto', mode: 'race', teacherHash: 't', teacherName: 'T', closed: true, paused: false, studentsControl: false, createdAt: 1 });
      await s.notebooks.create(notebook('nb1'), bytes(1), ['t1']);
      await s.notebooks.append('nb1', 1, bytes(2));
      await s.notebooks.link('ROOMAA', 'nb1', 3);
      const before = { room: await s.loadRoom('ROOMAA'), trace: await s.getTrace('t1'), progress: await s.getProgress('ada'), klass: await s.getClass('CLASSA'), nb: await s.notebooks.get('nb1'), log: await s.notebooks.updates('nb1') };
      await reopen();
      expect({ room: await s.loadRoom('ROOMAA'), trace: await s.getTrace('t1'), progress: await s.getProgress('ada'), klass: await s.getClass('CLASSA'), nb: await s.notebooks.get('nb1'), log: await s.notebooks.updates('nb1') }).toEqual(before);
      expect(await s.notebooks.linksOfRoom('ROOMAA')).toEqual([{ notebook: 'nb1', createdAt: 3 }]);
      expect(await s.codeTaken('ROOMAA')).toBe(true);
    });
  });
}
