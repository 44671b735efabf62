// The palette's contrast, computed from its one definition (palette.ts): every text and
// background pair the screens draw reaches 4.5:1 (WCAG AA) in both themes, the focus ring
// reaches 3:1 (the non-text minimum) on every background it is drawn on, and the memory
// bar's free pages stay apart from the victim's (3:1 too) on a projector.
import { describe, expect, it } from 'vitest';
import { contrast, cssVar, FOCUS_ON, paint, paletteCss, PALETTE, TEXT_ON } from './palette.js';
import { ACTOR_COLORS, MEMORY_COLORS, OUTCOME_COLORS, OUTCOME_TEXT_COLORS } from './labels.js';

describe('palette', () => {
  it('computes WCAG contrast', () => {
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrast('#0072b2', '#0072b2')).toBe(1);
    expect(() => contrast('white', '#000000')).toThrow(/#rrggbb/);
  });

  for (const theme of ['default', 'projector'] as const) {
    it(`every text pair reaches 4.5:1 in the ${theme} theme`, () => {
      const low = TEXT_ON.map(([t, b, where]) => ({ where, ratio: contrast(paint(t, theme), paint(b, theme)) }))
        .filter((x) => x.ratio < 4.5).map((x) => `${x.where}: ${x.ratio.toFixed(2)}:1`);
      expect(low).toEqual([]);
    });

    it(`the focus ring reaches 3:1 on every background it is drawn on in the ${theme} theme`, () => {
      const low = FOCUS_ON.map(([b, where]) => ({ where, ratio: contrast(paint('focus', theme), paint(b, theme)) }))
        .filter((x) => x.ratio < 3).map((x) => `${x.where}: ${x.ratio.toFixed(2)}:1`);
      expect(low).toEqual([]);
    });
  }


  it('keeps free and victim memory apart', () => {
    expect(contrast(PALETTE.memFree, PALETTE.memVictim)).toBeGreaterThanOrEqual(3);
  });

  it('is the one source of the labels’ colours and the CSS properties', () => {
    expect(ACTOR_COLORS).toEqual({ victim: PALETTE.victim, reaper: PALETTE.reaper, allocator: PALETTE.allocator });
    expect(MEMORY_COLORS).toEqual({ free: PALETTE.memFree, victim: PALETTE.memVictim, bystanders: PALETTE.memBystander, allocated: PALETTE.memAllocated });
    expect(OUTCOME_COLORS.needless_kill).toBe(PALETTE.needless);
    expect(OUTCOME_TEXT_COLORS.lockup).toBe(PALETTE.lockupText);
    const css = paletteCss();
    expect(css).toContain(`${cssVar('memBystander')}: ${PALETTE.memBystander};`);
    expect(cssVar('surface2')).toBe('--rl-surface-2');
    expect(css).toMatch(/:root\[data-theme="projector"\] \{\n {2}--rl-bg: #ffffff;/);
  });
});
