// Which module defines each screen's element. The first screen (the lobby) is in the entry
// bundle; every other screen, with what only it needs (Plot, Yjs, Markdown, the explorer
// worker), is fetched when it is first shown, so the first load carries only what it draws.

type Loader = () => Promise<unknown>;

const game: Loader = () => import('./screens/rl-game.js');

const LOADERS: Record<string, Loader> = {
  campaign: () => import('./screens/rl-campaign.js'),
  lesson: game,
  room: game,
  play: game,
  replay: () => import('./screens/rl-replay.js'),
  mine: () => import('./screens/rl-mine.js'),
  glossary: () => import('./screens/rl-glossary.js'),
  notebook: () => import('./screens/rl-notebook.js'),
  teach: () => import('./screens/rl-class-open.js'),
  write: () => import('./screens/rl-lesson-editor.js'),
  'class/teach': () => import('./screens/rl-class-dashboard.js'),
  class: () => import('./screens/rl-class-join.js'),
};

const loaded = new Set<Loader>();

/** The loader for a route's screen (null: in the entry bundle, or no such screen). */
function loaderFor(screen: string, segments: readonly string[]): Loader | null {
  if (screen === 'class' && segments[1] === 'teach') return LOADERS['class/teach']!;
  return LOADERS[screen] ?? null;
}

/**
 * Whether the screen's element is defined; if not, starts loading it and calls `done`
 * (with the error, if the network failed) once it settles.
 */
export function screenReady(screen: string, segments: readonly string[], done: (error?: unknown) => void): boolean {
  const load = loaderFor(screen, segments);
  if (!load || loaded.has(load)) return true;
  load().then(() => { loaded.add(load); done(); }, (e: unknown) => done(e));
  return false;
}
