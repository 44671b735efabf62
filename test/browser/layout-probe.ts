// Layout assertions run inside the page (through every shadow root): labelled boxes that
// overlap, things cut off or wider than the page, and touch targets under 24 px. It returns
// one line per problem; an empty list is a clean screen. Used by layout.test.ts.
import type { Page } from 'playwright-core';

export interface LayoutOptions {
  /** Only look inside this element, e.g. an open dialog: CSS selectors joined by `>>`, each looked up in the shadow root of the one before. */
  within?: string;
  /** Smallest touch target, px (WCAG 2.5.8). */
  minTarget?: number;
}

/** The probe itself: plain DOM code, serialised into the page. */
function probe(opts: Required<Pick<LayoutOptions, 'minTarget'>> & { within: string | null }): string[] {
  const problems: string[] = [];
  const vw = document.documentElement.clientWidth;

  /** Every element in the composed tree (shadow roots and slotted order ignored: positions come from layout). */
  const all: Element[] = [];
  const walk = (root: ParentNode) => {
    for (const el of Array.from(root.children)) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
      walk(el);
    }
  };
  const parentOf = (n: Node): Element | null => {
    const p = n.parentNode;
    if (!p) return null;
    if (p instanceof ShadowRoot) return p.host;
    return p instanceof Element ? p : null;
  };
  /** `host >> inner`: inner is looked up in host's shadow root (and so on). */
  const findDeep = (path: string): Element | null => {
    let found: Element | null = document.documentElement;
    for (const sel of path.split('>>').map((x) => x.trim())) {
      found = found ? findIn(found.shadowRoot ?? found, sel) : null;
    }
    return found;
  };
  const findIn = (start: ParentNode, sel: string): Element | null => {
    const stack: ParentNode[] = [start];
    while (stack.length) {
      const root = stack.pop()!;
      const hit = root.querySelector(sel);
      if (hit) return hit;
      for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) stack.push(el.shadowRoot);
    }
    return null;
  };
  const scope = opts.within ? findDeep(opts.within) : document.documentElement;
  if (!scope) return [`nothing matches ${opts.within}`];
  walk(scope.shadowRoot ?? scope);
  if (scope !== document.documentElement) all.unshift(scope);
  // Boxes that skip their contents off-screen (content-visibility: auto) are laid out for the
  // look, then given back their own style at the end.
  const lazy = all.filter((el) => el instanceof HTMLElement && getComputedStyle(el).contentVisibility === 'auto') as HTMLElement[];
  for (const el of lazy) el.style.setProperty('content-visibility', 'visible');
  try {
    return look();
  } finally {
    for (const el of lazy) el.style.removeProperty('content-visibility');
  }

  function look(): string[] {

  const contains = (outer: Node, inner: Node): boolean => {
    for (let n: Node | null = inner; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) if (n === outer) return true;
    return false;
  };
  const name = (el: Element): string => {
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).slice(0, 2).join('.')}` : '';
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
    let host = '';
    for (let n: Node | null = el; n; n = n.parentNode) if (n instanceof ShadowRoot) { host = `${n.host.tagName.toLowerCase()} › `; break; }
    return `${host}${el.tagName.toLowerCase()}${id}${cls}${text ? ` “${text}”` : ''}`;
  };

  const hidden = new Map<Element, boolean>();
  const isHidden = (el: Element): boolean => {
    let h = hidden.get(el);
    if (h === undefined) {
      h = !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
      // text drawn in a transparent colour (a mirror layer behind a textarea) and clipped-away text are not seen
      if (!h) {
        const cs = getComputedStyle(el);
        if (cs.clip !== 'auto' && cs.position === 'absolute') h = true;
        if (/^rgba\(.*,\s*0\)$|^transparent$/.test(cs.color) && !el.matches('textarea, input, select, button')) h = true;
      }
      if (!h) {
        const r = el.getBoundingClientRect();
        // visually hidden text for screen readers (the sr-only pattern)
        if (r.width <= 1 && r.height <= 1) h = true;
      }
      hidden.set(el, h);
    }
    return h;
  };

  type Box = { left: number; top: number; right: number; bottom: number };
  const clipCache = new Map<Element, Box | null>();
  /** The part of the viewport that an element's scrolling/clipping ancestors let through (null: none). */
  const clipOf = (el: Element): Box | null => {
    if (clipCache.has(el)) return clipCache.get(el)!;
    const p = parentOf(el);
    let box: Box | null = p ? clipOf(p) : { left: -1e6, top: -1e6, right: 1e6, bottom: 1e6 };
    if (box && p) {
      const cs = getComputedStyle(p);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible' || p.tagName === 'DIALOG') {
        const r = p.getBoundingClientRect();
        box = { left: Math.max(box.left, r.left), top: Math.max(box.top, r.top), right: Math.min(box.right, r.right), bottom: Math.min(box.bottom, r.bottom) };
        if (box.right <= box.left || box.bottom <= box.top) box = null;
      }
    }
    clipCache.set(el, box);
    return box;
  };
  const clip = (r: Box, c: Box | null): Box | null => {
    if (!c) return null;
    const b = { left: Math.max(r.left, c.left), top: Math.max(r.top, c.top), right: Math.min(r.right, c.right), bottom: Math.min(r.bottom, c.bottom) };
    return b.right - b.left > 0.5 && b.bottom - b.top > 0.5 ? b : null;
  };
  /** The nearest ancestor that scrolls (overflow auto/scroll), if any. */
  const scroller = (el: Element): Element | null => {
    for (let p = parentOf(el); p; p = parentOf(p)) {
      const cs = getComputedStyle(p);
      if (/(auto|scroll)/.test(cs.overflowX + cs.overflowY)) return p;
    }
    return null;
  };

  // ---- the page is no wider than the screen ------------------------------------------------
  if (!opts.within && document.documentElement.scrollWidth > vw + 1) {
    const wide = all.filter((el) => !isHidden(el) && el.getBoundingClientRect().right > vw + 1 && !scroller(el));
    const outer = wide.filter((el) => !wide.some((o) => o !== el && contains(o, el)));
    problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} px in ${vw} px (${outer.slice(0, 3).map(name).join('; ')})`);
  }

  // ---- labelled boxes: text runs, controls, chart text ----------------------------------------
  type Labelled = { box: Box; owner: Element; what: string };
  const boxes: Labelled[] = [];
  const controls = 'button, a[href], input, select, textarea, summary, [role="button"], [role="tab"], [tabindex]:not([tabindex="-1"])';
  for (const el of all) {
    if (isHidden(el)) continue;
    const c = clipOf(el);
    if (!c) continue;
    if (el instanceof SVGTextElement) {
      const b = clip(el.getBoundingClientRect(), c);
      if (b && (el.textContent ?? '').trim()) boxes.push({ box: b, owner: el, what: `chart text “${(el.textContent ?? '').trim().slice(0, 30)}”` });
      continue;
    }
    if (el instanceof SVGElement) continue;
    if (el.matches(controls) && el.tagName !== 'OL' && el.tagName !== 'RL-CHART') {
      const b = clip(el.getBoundingClientRect(), c);
      if (b) boxes.push({ box: b, owner: el, what: name(el) });
    }
    // text past the edge of a box that clips it is not seen (and is reported as cut off below)
    const own = getComputedStyle(el).overflowX !== 'visible' ? clip(el.getBoundingClientRect(), c) : c;
    for (const n of Array.from(el.childNodes)) {
      if (!own || n.nodeType !== Node.TEXT_NODE || !(n.textContent ?? '').trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of Array.from(range.getClientRects())) {
        const b = clip(r, own);
        if (b && b.right - b.left > 1) boxes.push({ box: b, owner: el, what: `text “${(n.textContent ?? '').trim().slice(0, 30)}” in ${name(el).split(' “')[0]}` });
      }
    }
  }
  const seen = new Set<string>();
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!, b = boxes[j]!;
      if (a.owner === b.owner || contains(a.owner, b.owner) || contains(b.owner, a.owner)) continue;
      const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (w > 2 && h > 2) {
        const key = `${a.what} / ${b.what}`;
        if (!seen.has(key)) { seen.add(key); problems.push(`overlap (${Math.round(w)}×${Math.round(h)} px): ${a.what} / ${b.what}`); }
      }
    }
  }

  // ---- cut off: content wider than a box that does not scroll --------------------------------------
  for (const el of all) {
    if (isHidden(el) || el instanceof SVGElement || !clipOf(el)) continue;
    const cs = getComputedStyle(el);
    if (/(auto|scroll)/.test(cs.overflowX) || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'HTML' || el.tagName === 'BODY') continue;
    if (cs.display === 'inline' || cs.display === 'contents') continue;
    const textual = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
    if (el.tagName === 'SELECT') {
      const s = el as HTMLSelectElement;
      const text = s.selectedOptions[0]?.textContent ?? '';
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      // the arrow takes about 20 px at the right
      const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
      if (ctx.measureText(text).width > room + 1) problems.push(`cut off: ${name(el)} shows “${text.slice(0, 40)}” in ${Math.round(room)} px`);
      continue;
    }
    const clipsX = cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis';
    if ((textual || clipsX || el.matches(controls)) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      problems.push(`cut off: ${name(el)} needs ${el.scrollWidth} px, has ${el.clientWidth} px`);
    }
    if (clipsX && cs.overflowY !== 'visible' && !/(auto|scroll)/.test(cs.overflowY) && el.scrollHeight > el.clientHeight + 1 && el.clientHeight > 0 && textual) {
      problems.push(`cut off: ${name(el)} needs ${el.scrollHeight} px high, has ${el.clientHeight} px`);
    }
  }

  // ---- touch targets -----------------------------------------------------------------------------
  for (const el of all) {
    if (isHidden(el) || !el.matches('button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="tab"]')) continue;
    if (!clipOf(el)) continue;
    const cs = getComputedStyle(el);
    // WCAG 2.5.8 exempts targets inside a sentence (a link or a term in running text).
    if (cs.display === 'inline') continue;
    const r = el.getBoundingClientRect();
    if (r.width < opts.minTarget - 0.5 || r.height < opts.minTarget - 0.5) problems.push(`small target ${Math.round(r.width)}×${Math.round(r.height)} px: ${name(el)}`);
  }
  return problems;
  }
}

/** The layout problems of what the page shows now (empty: none). */
export async function layoutProblems(page: Page, options: LayoutOptions = {}): Promise<string[]> {
  const args = { within: options.within ?? null, minTarget: options.minTarget ?? 24 };
  // Bundlers may wrap named functions in a helper (__name); the page does not have it.
  return page.evaluate(`globalThis.__name ??= (f) => f; (${probe.toString()})(${JSON.stringify(args)})`);
}
