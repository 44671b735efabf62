// The projector theme: larger text, darker lines and muted text, no shadows (a washed-out
// beamer in a lit room). Chosen on the first screen or the class dashboard, or with
// ?theme=projector in the address; kept in this browser. theme.css holds the values.

export type Theme = 'default' | 'projector';
const KEY = 'reaplab.theme';

function store(): Storage | null {
  try { return globalThis.localStorage ?? null; } catch { return null; }
}

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'projector' ? 'projector' : 'default';
}

export function setTheme(theme: Theme): void {
  if (theme === 'projector') document.documentElement.dataset.theme = 'projector';
  else delete document.documentElement.dataset.theme;
  store()?.setItem(KEY, theme);
}

/** Applies the saved (or requested) theme before the first screen draws. */
export function applySavedTheme(): void {
  const asked = new URLSearchParams(location.search).get('theme');
  const theme = asked === 'projector' || asked === 'default' ? asked : store()?.getItem(KEY);
  if (theme === 'projector') document.documentElement.dataset.theme = 'projector';
}
