// Shared helpers for the pure chart builders. Plot adds a <style> element to every SVG;
// the server's CSP (style-src 'self') would block it, so builders remove it and the
// client's own CSS carries the same few rules.

export interface ChartOptions {
  width?: number;
  height?: number;
  /** The document to build in (a small server-side DOM in tests). */
  document?: Document;
}

/** Removes Plot's inline <style> elements so the chart is CSP-clean. */
export function cspSafe<T extends Element>(el: T): T {
  for (const s of Array.from(el.querySelectorAll('style'))) s.remove();
  return el;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
