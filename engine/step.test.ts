import { describe, expect, it } from 'vitest';
import { initialState } from './state.js';
import { enabledActions, step } from './step.js';
import { KILL_VICTIM, play, scenario } from './testing.js';

const choice = (s: ReturnType<typeof initialState>, actor: string) => enabledActions(s).find((c) => c.actor === actor)!;

describe('allocator', () => {
  it('kills the victim first and queues it for the reaper', () => {
    const { state, events } = play(scenario('v4.19', 'pgtable-heavy'), KILL_VICTIM);
    expect(state.tasks).toEqual(['killed', 'alive']);
    expect(state.flags.victim).toBe(true);
    expect(state.reaper.queued).toBe(true);
    expect(state.kills).toBe(1);
    expect(choice(state, 'victim').step).toBe('mmput');
    expect(events.filter((e) => e.type === 'outcome')).toEqual([]);
  });

  it('waits (A3 blocked) while the victim lacks MMF_OOM_SKIP, with the reason', () => {
    const { state } = play(scenario('v4.19', 'pgtable-heavy'), [...KILL_VICTIM, 'allocator:A1', 'allocator:A2']);
    const a = choice(state, 'allocator');
    expect(a.step).toBe('A3');
    expect(a.enabled).toBe(false);
    expect(a.reason).toBe('waiting for the OOM victim: MMF_OOM_SKIP is not set and only 0 of 3 pages are free');
  });

  it('a second kill while the victim still holds enough is a needless kill, and the run goes on', () => {
    // v4.19 pgtable-heavy: the reaper gives up (MMF_OOM_SKIP) while page tables are still held.
    const sc = scenario('v4.19', 'pgtable-heavy');
    const { state, events } = play(sc, [...KILL_VICTIM, 'reaper:R0', 'reaper:R1', 'reaper:R2', 'reaper:R3', 'reaper:R3:0', 'reaper:R4', 'reaper:R6', 'allocator:A1', 'allocator:A2']);
    expect(state.free).toBe(1 + 4);
    expect(state.tasks).toEqual(['killed', 'gone']);
    expect(state.needlessKill).toBe(true);
    expect(state.outcome).toBeNull();
    expect(events).toContainEqual({ type: 'outcome', outcome: 'needless_kill' });
    const end = play(sc, ['allocator:A1'], state);
    expect(end.state.outcome).toEqual({ id: 'success' });
    expect(end.state.free).toBe(2);
  });

  it('panics when nothing is left to kill', () => {
    const sc = scenario('v4.19', 'no-escape');
    const victimExit = ['victim:mmput', 'victim:self_reap', 'victim:self_reap:0', 'victim:set_oom_skip'];
    const { state } = play(sc, [...KILL_VICTIM, ...victimExit, 'allocator:A1', 'allocator:A2', 'allocator:A1', 'allocator:A2']);
    expect(state.outcome).toEqual({ id: 'panic', detail: 'Out of memory and no killable processes' });
  });

  it('releases M when the allocation succeeds', () => {
    const sc = scenario('upstream-6.x', 'driver-close');
    const { state } = play(sc, [...KILL_VICTIM, 'victim:mmput', 'victim:down_read', 'victim:unmap:0', 'victim:unmap:1', 'victim:up_read', 'victim:set_oom_skip', 'allocator:A1', 'allocator:A2', 'allocator:A1']);
    expect(state.mHolder).toBe('none');
    expect(state.outcome).toEqual({ id: 'success' });
  });
});

describe('victim', () => {
  it('has no step before it is killed', () => {
    const s = initialState(scenario('v4.19', 'mlocked'));
    expect(choice(s, 'victim')).toMatchObject({ enabled: false, reason: 'running normally: not killed yet', step: '' });
  });

  it('v4.19 self-reap skips VM_LOCKED VMAs and sets MMF_UNSTABLE', () => {
    const { state } = play(scenario('v4.19', 'mlocked'), [...KILL_VICTIM, 'victim:mmput', 'victim:self_reap', 'victim:self_reap:0', 'victim:self_reap:1']);
    expect(state.vmas.map((v) => v.mapped)).toEqual([2, 0]);
    expect(state.flags.unstable).toBe(true);
    expect(state.flags.inMmput).toBe(true);
  });

  it("the self-reap's head step sets MMF_UNSTABLE before any VMA is reaped (v4.19, tetsuo, rientjes)", () => {
    for (const v of ['v4.19', 'tetsuo-timeout', 'rientjes-timeout'] as const) {
      const { state } = play(scenario(v, 'mlocked'), [...KILL_VICTIM, 'victim:mmput', 'victim:self_reap']);
      expect(state.flags.unstable, v).toBe(true);
      expect(state.vmas.map((x) => x.mapped), v).toEqual([2, 1]);
      expect(choice(state, 'victim').step, v).toBe('self_reap:0');
    }
  });

  it('rfc-no-exit-skip: the victim exits cleanly and nobody sets MMF_OOM_SKIP, so the OOM killer waits forever', () => {
    const sc = scenario('rfc-no-exit-skip', 'no-escape');
    const exit = ['victim:mmput', 'victim:unmap:0', 'victim:down_write', 'victim:unlink_all', 'victim:mmap_null', 'victim:up_write', 'victim:free_pgtables', 'victim:remove_vma:0', 'victim:exit_done'];
    const reaper = ['reaper:R0', 'reaper:R1', 'reaper:R2', 'reaper:R4', 'reaper:R6'];
    const { state } = play(sc, [...KILL_VICTIM, ...exit, ...reaper, 'allocator:A1', 'allocator:A2']);
    expect(state.flags.oomSkip).toBe(false);
    expect(state.outcome?.id).toBe('lockup');
  });

  it('munlock is two steps per locked VMA; the munlock loop skips unlocked VMAs', () => {
    const sc = scenario('v4.19', 'mlocked');
    const { state } = play(sc, [...KILL_VICTIM, 'victim:mmput', 'victim:self_reap', 'victim:self_reap:0', 'victim:self_reap:1', 'victim:set_oom_skip', 'victim:down_write', 'victim:up_write', 'victim:munlock_clear:0']);
    expect(state.vmas[0]).toMatchObject({ locked: false, munlocking: true });
    const next = play(sc, ['victim:munlock_pages:0'], state).state;
    expect(next.vmas[0]).toMatchObject({ locked: false, munlocking: false });
    expect(choice(next, 'victim').step).toBe('unmap:0');
  });

  it('down_write blocks while the reaper holds mmap_sem for read, with the reason', () => {
    const sc = scenario('v4.19', 'pgtable-heavy');
    const { state } = play(sc, [...KILL_VICTIM, 'reaper:R0', 'reaper:R1', 'victim:mmput', 'victim:self_reap', 'victim:self_reap:0', 'victim:set_oom_skip']);
    expect(choice(state, 'victim')).toMatchObject({ step: 'down_write', enabled: false, reason: 'down_write: mmap_sem held for read by the reaper' });
    const r = step(state, { actor: 'victim', step: 'down_write' });
    expect(r).toEqual({ ok: false, error: { code: 'not_enabled', message: 'victim is blocked: down_write: mmap_sem held for read by the reaper' } });
  });

  it('remove_vma blocks on vm_ops->close while the allocator holds M', () => {
    const sc = scenario('rfc-split-pgtables', 'driver-close');
    const steps = ['victim:mmput', 'victim:unmap:0', 'victim:unmap:1', 'victim:down_write', 'victim:unlink_all', 'victim:mmap_null', 'victim:up_write', 'victim:free_pgtables', 'victim:remove_vma:0'];
    const { state } = play(sc, [...KILL_VICTIM, ...steps]);
    expect(choice(state, 'victim')).toMatchObject({ step: 'remove_vma:1', enabled: false, reason: 'remove_vma: vm_ops->close of VMA 1 waits for mutex M, held by the allocator' });
  });

  it('rfc-v1 oopses at free_pgd_range, and the oops changes nothing else', () => {
    const sc = scenario('rfc-v1', 'pgtable-heavy');
    const before = play(sc, [...KILL_VICTIM, 'victim:mmput', 'victim:unmap:0', 'victim:down_write', 'victim:unlink_all', 'victim:mmap_null', 'victim:up_write']).state;
    const r = step(before, { actor: 'victim', step: 'free_pgd_range' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.outcome).toMatchObject({ id: 'oops', bug: 'vm_prev_null' });
    expect({ ...r.state, outcome: null }).toEqual(before);
    expect(enabledActions(r.state).every((c) => !c.enabled)).toBe(true);
  });

  it('rfc-highest-vm-end oopses only on ppc with a hugetlb VMA', () => {
    const common = ['victim:unmap:0', 'victim:unmap:1', 'victim:down_write', 'victim:unlink_all', 'victim:mmap_null', 'victim:up_write', 'victim:free_pgd_range'];
    expect(play(scenario('rfc-highest-vm-end', 'hugetlb-ppc'), [...KILL_VICTIM, 'victim:mmput', ...common]).state.outcome).toMatchObject({ id: 'oops', bug: 'hugetlb_teardown', vma: 0 });
    const x86 = play(scenario('rfc-highest-vm-end', 'mlocked'), [...KILL_VICTIM, 'victim:mmput', 'victim:munlock_down_write:0', 'victim:munlock_clear:0', 'victim:munlock_pages:0', 'victim:munlock_up_write:0', ...common]).state;
    expect(x86.outcome).toBeNull();
    expect(x86.pgtablesFreed).toBe(true);
  });
});

describe('reaper', () => {
  it('v4.14: zapping a VMA whose VM_LOCKED was just cleared makes munlock oops', () => {
    const sc = scenario('v4.14', 'mlocked');
    const { state } = play(sc, [...KILL_VICTIM, 'victim:mmput', 'victim:munlock_clear:0', 'reaper:R0', 'reaper:R1', 'reaper:R2', 'reaper:R3', 'reaper:R3:0', 'victim:munlock_pages:0']);
    expect(state.outcome).toMatchObject({ id: 'oops', bug: 'munlock_zapped_pmd', vma: 0 });
  });

  it('retries while the trylock fails and gives up after max_attempts with MMF_OOM_SKIP', () => {
    const sc = scenario('v4.19', 'pgtable-heavy');
    const hold = play(sc, [...KILL_VICTIM, 'victim:mmput', 'victim:self_reap', 'victim:self_reap:0', 'victim:set_oom_skip', 'victim:down_write']).state;
    const { state } = play(sc, ['reaper:R0', 'reaper:R1', 'reaper:R5', 'reaper:R1', 'reaper:R5', 'reaper:R1', 'reaper:R5', 'reaper:R6'], hold);
    expect(state.reaper.attempts).toBe(3);
    expect(state.reaper.queued).toBe(false);
    expect(choice(state, 'reaper')).toMatchObject({ step: 'R0', enabled: false, reason: 'oom_reaper sleeps: oom_reaper_list is empty' });
  });

  it('rfc: keeps trying while the victim holds more than keep_above, and leaves MMF_OOM_SKIP to the exit path after the handover', () => {
    const sc = scenario('rfc-final', 'pgtable-heavy');
    const s1 = play(sc, [...KILL_VICTIM, 'reaper:R0', 'reaper:R1', 'reaper:R2', 'reaper:R3', 'reaper:R3:0', 'reaper:R4']).state;
    expect(choice(s1, 'reaper').step).toBe('R5'); // 3 pages of page tables > keep_above = 1
    const s2 = play(sc, ['victim:mmput', 'victim:unmap:0', 'victim:down_write', 'victim:unlink_all', 'victim:mmap_null', 'victim:up_write', 'reaper:R5', 'reaper:R1', 'reaper:R2', 'reaper:R4', 'reaper:R6'], s1).state;
    expect(s2.flags.oomSkip).toBe(false);
    expect(s2.reaper.queued).toBe(false);
  });

  it('upstream-6.x reaps VM_LOCKED VMAs', () => {
    const { state } = play(scenario('upstream-6.x', 'mlocked'), [...KILL_VICTIM, 'reaper:R0', 'reaper:R1', 'reaper:R2', 'reaper:R3', 'reaper:R3:0']);
    expect(state.vmas[0]!.mapped).toBe(0);
  });

  it("Tetsuo's reaper sets MMF_OOM_SKIP only after badness stalls past the limit", () => {
    const sc = scenario('tetsuo-timeout', 'pgtable-heavy');
    const s = play(sc, [...KILL_VICTIM, 'reaper:T0', 'reaper:T1', 'reaper:T2', 'reaper:T3', 'reaper:T3:0', 'reaper:T4', 'reaper:T5']).state;
    expect(s.reaper).toMatchObject({ last: 3, stall: 0 });
    const stalled = play(sc, ['reaper:T6', 'reaper:T1', 'reaper:T2', 'reaper:T3', 'reaper:T3:0', 'reaper:T4', 'reaper:T5', 'reaper:T6', 'reaper:T1', 'reaper:T2', 'reaper:T3', 'reaper:T3:0', 'reaper:T4', 'reaper:T5'], s).state;
    expect(stalled.reaper.stall).toBe(2);
    expect(stalled.flags.oomSkip).toBe(false);
    const gaveUp = play(sc, ['reaper:T6', 'reaper:T1', 'reaper:T2', 'reaper:T3', 'reaper:T3:0', 'reaper:T4', 'reaper:T5'], stalled).state;
    expect(gaveUp.flags.oomSkip).toBe(true);
    expect(gaveUp.reaper.queued).toBe(false);
  });

  it("Tetsuo's T3 sets MMF_UNSTABLE when it goes on to reap", () => {
    const sc = scenario('tetsuo-timeout', 'pgtable-heavy');
    const s = play(sc, [...KILL_VICTIM, 'reaper:T0', 'reaper:T1', 'reaper:T2']).state;
    expect(s.flags.unstable).toBe(false);
    const reaping = play(sc, ['reaper:T3'], s).state;
    expect(reaping.flags.unstable).toBe(true);
    expect(choice(reaping, 'reaper').step).toBe('T3:0');
  });

  it("David's reaper only waits once the exit path's self-reap has begun (Tetsuo's NACK): V still holds its memory", () => {
    const sc = scenario('rientjes-timeout', 'pgtable-heavy');
    const s = play(sc, [...KILL_VICTIM, 'victim:mmput', 'victim:self_reap', 'reaper:D0', 'reaper:D1', 'reaper:D2']).state;
    expect(s.flags.unstable).toBe(true);
    expect(s.vmas[0]!.mapped).toBe(1); // nothing freed yet
    expect(choice(s, 'reaper').step).toBe('D4'); // no trylock, no reaping
  });

  it("David's reaper stops reaping once MMF_UNSTABLE is set, and sets MMF_OOM_SKIP at the deadline", () => {
    const sc = scenario('rientjes-timeout', 'pgtable-heavy');
    const s = play(sc, [...KILL_VICTIM, 'victim:mmput', 'victim:self_reap', 'victim:self_reap:0', 'victim:set_unstable', 'reaper:D0', 'reaper:D1', 'reaper:D2']).state;
    expect(choice(s, 'reaper').step).toBe('D4');
    const end = play(sc, ['reaper:D4', 'reaper:D5', 'reaper:D1', 'reaper:D2', 'reaper:D4', 'reaper:D5', 'reaper:D1', 'reaper:D2', 'reaper:D4', 'reaper:D5', 'reaper:D1', 'reaper:D2', 'reaper:D4'], s).state;
    expect(end.reaper.ticks).toBe(3);
    expect(end.flags.oomSkip).toBe(true);
  });
});

describe('rejections', () => {
  const s = initialState(scenario('v4.19', 'mlocked'));
  it.each([
    [null, 'malformed'],
    ['A1', 'malformed'],
    [[1, 2], 'malformed'],
    [{ actor: 'allocator' }, 'malformed'],
    [{ actor: 'allocator', step: 7 }, 'malformed'],
    [{ actor: 'kswapd', step: 'A1' }, 'unknown_actor'],
    [{ actor: 'allocator2', step: 'A1' }, 'unknown_actor'],
    [{ actor: 'allocator', step: 'A2' }, 'wrong_step'],
    [{ actor: 'victim', step: 'mmput' }, 'wrong_step'],
    [{ actor: 'reaper', step: 'R0' }, 'not_enabled'],
  ])('%j is rejected as %s and changes nothing', (action, code) => {
    const copy = JSON.stringify(s);
    const r = step(s, action);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
    expect(JSON.stringify(s)).toBe(copy);
  });

  it('after the run ends every step is rejected as run_over', () => {
    const { state } = play(scenario('rfc-v1', 'pgtable-heavy'), [...KILL_VICTIM, 'victim:mmput', 'victim:unmap:0', 'victim:down_write', 'victim:unlink_all', 'victim:mmap_null', 'victim:up_write', 'victim:free_pgd_range']);
    const r = step(state, { actor: 'allocator', step: 'A1' });
    expect(r).toEqual({ ok: false, error: { code: 'run_over', message: 'the run has ended (oops); restart to play again' } });
  });
});
