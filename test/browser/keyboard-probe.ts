// Keyboard checks run inside the page (through every shadow root): which controls the Tab
// key should reach, which element has focus, and what only a mouse can use. Used by
// keyboard.test.ts. Each element is named by its path through the composed tree, so the
// list of controls and the focused element compare exactly.
import type { Page } from 'playwright-core';

export interface Control { key: string; name: string }

/** In the page: the controls Tab should reach (in `within`, e.g. an open dialog), and the mouse-only elements. */
function survey(within: string | null): { controls: Control[]; mouseOnly: string[] } {
  const all: Element[] = [];
  const walk = (root: ParentNode) => {
    for (const el of Array.from(root.children)) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
      walk(el);
    }
  };
  walk(document);
  const parentOf = (n: Element): Element | null => (n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentElement);
  const keyOf = (el: Element): string => {
    const parts: string[] = [];
    for (let n: Element | null = el; n; n = parentOf(n)) parts.unshift(`${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}:${Array.from(n.parentNode?.children ?? []).indexOf(n)}`);
    return parts.join('/');
  };
  const nameOf = (el: Element): string => {
    const label = el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? el.textContent ?? '';
    let host = '';
    for (let n: Node | null = el; n; n = n.parentNode) if (n instanceof ShadowRoot) { host = `${n.host.tagName.toLowerCase()} › `; break; }
    return `${host}${el.tagName.toLowerCase()} “${label.replace(/\s+/g, ' ').trim().slice(0, 50)}”`;
  };
  const ancestors = (el: Element): Element[] => {
    const out: Element[] = [];
    for (let n = parentOf(el); n; n = parentOf(n)) out.push(n);
    return out;
  };
  const scope = within ? all.find((el) => el.matches(within)) ?? null : null;
  if (within && !scope) return { controls: [], mouseOnly: [`nothing matches ${within}`] };
  const shown = (el: Element): boolean => {
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || el.getClientRects().length === 0) return false;
    for (const a of ancestors(el)) {
      if ((a as HTMLElement).inert) return false;
      // inside a closed <details>, only its summary shows
      if (a instanceof HTMLDetailsElement && !a.open && !(el.tagName === 'SUMMARY' && parentOf(el) === a) && !ancestors(el).some((x) => x.tagName === 'SUMMARY' && parentOf(x) === a)) return false;
    }
    return true;
  };
  // A native control counts even with tabindex="-1" (Tab should reach it); other elements only when put in the order.
  const NATIVE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary';
  const isFocusable = (el: Element) => (el.matches(NATIVE) && !(el as HTMLButtonElement).disabled)
    || (el.hasAttribute('tabindex') && el.getAttribute('tabindex') !== '-1');
  const inScope = (el: Element) => !scope || el === scope || ancestors(el).includes(scope);
  const radiosSeen = new Set<string>();
  const controls: Control[] = [];
  for (const el of all) {
    if (!inScope(el) || !isFocusable(el) || !shown(el)) continue;
    if (el instanceof HTMLInputElement && el.type === 'radio') {
      // one stop per group: the checked radio, else the first
      const group = `${keyOf(el.form ?? document.body)}|${el.name}`;
      if (radiosSeen.has(group)) continue;
      const checked = all.find((x) => x instanceof HTMLInputElement && x.type === 'radio' && x.name === el.name && x.form === el.form && x.checked);
      if (checked && checked !== el) continue;
      radiosSeen.add(group);
    }
    controls.push({ key: keyOf(el), name: nameOf(el) });
  }
  // Looks clickable (a pointer cursor of its own) but neither is a control nor sits in one or in a label.
  const mouseOnly: string[] = [];
  for (const el of all) {
    if (!inScope(el) || !shown(el) || isFocusable(el) || el.tagName === 'LABEL' || el.tagName === 'OPTION') continue;
    if (getComputedStyle(el).cursor !== 'pointer') continue;
    const up = ancestors(el);
    if (up.some((a) => isFocusable(a) || a.tagName === 'LABEL')) continue;
    if (up.some((a) => getComputedStyle(a).cursor === 'pointer' && !isFocusable(a) && inScope(a))) continue; // reported at its outermost box
    if ((el as HTMLElement).matches('[role="dialog"]')) continue; // a backdrop that also closes on Esc and its own button
    mouseOnly.push(nameOf(el));
  }
  return { controls, mouseOnly };
}

/** In the page: the focused element's key (through shadow roots), or 'body'. */
function focused(): string {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body || el === document.documentElement) return 'body';
  const parentOf = (n: Element): Element | null => (n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentElement);
  const parts: string[] = [];
  for (let n: Element | null = el; n; n = parentOf(n)) parts.unshift(`${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}:${Array.from(n.parentNode?.children ?? []).indexOf(n)}`);
  return parts.join('/');
}

export async function surveyControls(page: Page, within?: string): Promise<{ controls: Control[]; mouseOnly: string[] }> {
  return page.evaluate(survey, within ?? null);
}

export async function focusedKey(page: Page): Promise<string> {
  return page.evaluate(focused);
}

export interface Focused { tag: string; text: string; test: string }

/** The focused element's tag, text and data-test name (for finding controls and messages). */
export async function focusedElement(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? 'none', text: ((el as HTMLElement | null)?.innerText ?? '').replace(/\s+/g, ' ').trim(), test: el?.getAttribute('data-test') ?? '' };
  });
}

/**
 * Presses Tab until focus comes back to where the walk began (or `limit` presses), and
 * returns every element focused on the way, in order.
 */
export async function tabWalk(page: Page, limit: number): Promise<string[]> {
  const seen: string[] = [];
  const start = await focusedKey(page);
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const k = await focusedKey(page);
    if (k === start && i > 0) break;
    if (seen.length > 1 && k === seen[0]) break;
    seen.push(k);
  }
  return seen;
}
