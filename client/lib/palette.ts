// The one palette of the app. The marks' colours (actors, memory, outcomes) are the
// Okabe–Ito colour-blind-safe set, darkened where text sits on them or they are text, and
// always paired with a word or a glyph (never colour alone). Everything else reads them
// from here: CSS as the custom properties `--rl-<name>` (the build turns `paletteCss()`
// into the stylesheet index.html links, before any script runs), the charts and labels as
// the values themselves. The projector theme changes only the neutrals: a washed-out beamer
// in a lit room needs darker lines and secondary text, not other hues. `TEXT_ON` lists every
// pair of text and background the screens draw, so palette.test.ts can hold each to 4.5:1;
// `FOCUS_ON` every background the focus ring is drawn on, held to 3:1 (non-text contrast).

export const PALETTE = {
  // neutrals
  bg: '#f4f5f7',
  surface: '#ffffff',
  surface2: '#eef1f5',
  ink: '#14181f',
  ink2: '#3d4654',
  muted: '#5b6472',
  line: '#c9d0da',
  lineStrong: '#8a94a3',
  accent: '#1d4ed8',
  accentInk: '#ffffff',
  accentSoft: '#dbe6ff',
  accentStrong: '#173fb0',
  // the focus ring: a mid-tone amber, 3:1 or more on every light surface and on the dark toast (FOCUS_ON)
  focus: '#c25e00',
  highlight: '#fff1b8',
  highlightEdge: '#c08a00',
  danger: '#b42318',
  win: '#00704f',
  onDark: '#ffffff',
  logo: '#1d3557',
  logoInk: '#f1c40f',
  accentTint: '#f3f6ff',
  accentEdge: '#b8c9f5',
  dangerSoft: '#fde2e1',
  dangerTint: '#fff4f3',
  hintSoft: '#fff8e6',
  toast: '#14181f',
  toastHover: '#2a303a',
  toastEdge: '#5b6472',

  // code listings and the state picture
  code: '#f8f9fb',
  codeComment: '#5b6472',
  codeCommentNow: '#3d4654',
  noteSoft: '#f3f6fb',
  noteEdge: '#d5deeb',
  victimSoft: '#e8f2fa',
  removedSoft: '#eceef1',
  pageTable: '#45617a',
  pageTableSoft: '#eef2f6',
  readSoft: '#e6f4ea',
  readEdge: '#1e7b3a',
  readInk: '#1e6a33',

  // actors: a step button is white text on the actor's colour, a panel's title the colour on white
  victim: '#0072b2',
  reaper: '#7a3e9d',
  allocator: '#8a5f00',

  // memory: free is light yellow, far from the victim's blue even on a washed-out projector
  memFree: '#f0e442',
  memFreeInk: '#3d3a00',
  memVictim: '#0072b2',
  memVictimInk: '#ffffff',
  memBystander: '#5f6b7a',
  memBystanderInk: '#ffffff',
  memAllocated: '#e69f00',
  memAllocatedInk: '#3d2a00',

  // outcomes: fills for marks and badges (dark ink on the light ones) …
  success: '#009e73',
  needless: '#e69f00',
  oops: '#d55e00',
  lockup: '#cc79a7',
  panic: '#000000',
  // … and the same hues dark enough for text on white
  successText: '#00704f',
  needlessText: '#8a5a00',
  oopsText: '#b04a00',
  lockupText: '#a4407c',
  panicText: '#000000',
} as const;

export type ColorName = keyof typeof PALETTE;
/** A palette colour's name, or a colour of its own. */
export type Paint = ColorName | `#${string}`;

/** The projector theme's changes. */
export const PROJECTOR: Readonly<Partial<Record<ColorName, string>>> = {
  bg: '#ffffff',
  surface2: '#e6eaf0',
  ink2: '#1f2530',
  muted: '#3d4654',
  line: '#5b6472',
  lineStrong: '#3d4654',
};

/** People's colours in a notebook (avatars and carets carry their initials in white). */
export const PRESENCE: readonly `#${string}`[] = ['#0072b2', '#b04a00', '#00704f', '#a4407c', '#7a3e9d', '#8a5a00', '#1d4ed8', '#b42318'];

/**
 * Every text colour drawn on a palette background, with where: [text, background, where].
 * Neutral text on every neutral surface; the ink that goes on each fill.
 */
export const TEXT_ON: readonly (readonly [Paint, Paint, string])[] = [
  ...(['ink', 'ink2', 'muted', 'accent', 'danger', 'win'] as const).flatMap((t) =>
    (['bg', 'surface', 'surface2'] as const).map((b) => [t, b, `${t} text on ${b}`] as const)),
  ['ink', 'accentSoft', 'text on the accent tint (race note, goal)'],
  ['accent', 'accentSoft', 'link on the accent tint'],
  ['ink', 'highlight', 'banner text'],
  ['ink', 'accentTint', 'chosen option'],
  ['accentStrong', 'accentSoft', 'host chip'],
  ['accentStrong', 'surface', 'a room that is playing'],
  ['ink', 'dangerSoft', 'blocked code line'],
  ['danger', 'dangerSoft', 'write-locked semaphore'],
  ['ink', 'dangerTint', 'stop confirmation'],
  ['ink', 'hintSoft', 'hint'],
  ['onDark', 'toast', 'toast'],
  ['onDark', 'toastHover', 'toast button, hovered'],
  ['logoInk', 'logo', 'logo'],
  ...(['ink', 'codeComment', 'codeCommentNow', 'muted'] as const).map((t) => [t, 'code', `${t} in a code listing`] as const),
  ['ink2', 'noteSoft', 'lesson note on a code line'],
  ['ink', 'victimSoft', 'VMA box'],
  ['muted', 'removedSoft', 'removed VMA'],
  ['ink', 'pageTableSoft', 'page-table box'],
  ['muted', 'bg', 'freed page table'],
  ['readInk', 'readSoft', 'read-locked semaphore'],
  ['accentInk', 'accent', 'primary button'],
  ['accentInk', 'accentStrong', 'primary button, hovered'],
  ['onDark', 'ink', 'pressed toggle, flag that is on'],
  ['onDark', 'danger', 'losing badge'],
  ['onDark', 'win', 'winning badge'],
  ...(['victim', 'reaper', 'allocator'] as const).flatMap((a) => [
    ['onDark', a, `${a}'s step button`] as const,
    [a, 'surface', `${a}'s panel title`] as const,
  ]),
  ['memFreeInk', 'memFree', 'free pages number'],
  ['memVictimInk', 'memVictim', 'victim pages number'],
  ['memBystanderInk', 'memBystander', 'bystander pages number'],
  ['memAllocatedInk', 'memAllocated', 'allocated pages number'],
  ['ink', 'success', 'success badge'],
  ['ink', 'needless', 'needless-kill badge'],
  ['ink', 'oops', 'oops badge'],
  ['ink', 'lockup', 'lockup badge'],
  ['onDark', 'panic', 'panic badge'],
  ['onDark', 'successText', 'lesson done mark'],
  ...(['successText', 'needlessText', 'oopsText', 'lockupText', 'panicText'] as const).flatMap((t) =>
    (['bg', 'surface', 'surface2'] as const).map((b) => [t, b, `${t} on ${b}`] as const)),
  ...PRESENCE.map((c) => ['onDark', c, `white initials on the avatar ${c}`] as const),
];

/**
 * Every background the focus ring (and the marks drawn in its colour: the current step, the
 * last step taken) sits on, with where. Focusable controls sit on the neutral surfaces, the
 * tinted notes and banners, and the dark toast.
 */
export const FOCUS_ON: readonly (readonly [ColorName, string])[] = [
  ['bg', 'page'],
  ['surface', 'card, panel, dialog, chart'],
  ['surface2', 'inset box, empty swimlane cell'],
  ['accentSoft', 'race note, goal'],
  ['accentTint', 'chosen option'],
  ['highlight', 'banner'],
  ['hintSoft', 'hint'],
  ['dangerTint', 'stop confirmation'],
  ['code', 'code listing'],
  ['pageTableSoft', 'page-table box'],
  ['toast', 'toast button'],
];

/** A palette colour by name, in a theme, or a colour of its own (#rrggbb). */
export function paint(p: Paint, theme: 'default' | 'projector' = 'default'): string {
  return p.startsWith('#') ? p : themeColors(theme)[p as ColorName];
}

/** The palette of a theme. */
export function themeColors(theme: 'default' | 'projector'): Record<ColorName, string> {
  return theme === 'projector' ? { ...PALETTE, ...PROJECTOR } : { ...PALETTE };
}

/** `memFree` → `--rl-mem-free`, `surface2` → `--rl-surface-2`. */
export function cssVar(name: ColorName): string {
  return `--rl-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/(\d+)/g, '-$1')}`;
}

/** The palette as CSS custom properties, both themes. */
export function paletteCss(): string {
  const block = (colors: Partial<Record<ColorName, string>>) =>
    (Object.entries(colors) as [ColorName, string][]).map(([k, v]) => `  ${cssVar(k)}: ${v};`).join('\n');
  return `:root {\n${block(PALETTE)}\n}\n:root[data-theme="projector"] {\n${block(PROJECTOR)}\n}\n`;
}

/** WCAG 2 relative luminance of #rrggbb. */
export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = parseInt(m[1]!.slice(i, i + 2), 16) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
