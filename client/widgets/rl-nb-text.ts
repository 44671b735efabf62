// A collaborative text field: a <textarea> bound to a Y.Text, with the other people's
// carets and selections drawn behind it. Local input becomes the smallest Y.Text edit (a
// common prefix/suffix diff); remote edits move the local selection along with the text.
// The carets live in a mirror layer with the textarea's exact font, padding and wrapping
// (the textarea grows with its content, so the two never scroll apart). Where the caret
// is goes out as awareness (Y relative positions, so it survives concurrent edits).
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import * as Y from 'yjs';
import { cssom } from '../lib/cssom.js';
import { base } from '../styles/shared.js';
import type { Presence } from '../notebook/provider.js';

export interface RemoteCaret {
  client: number;
  name: string;
  color: string;
  /** The text field (in the cell) the caret is in. */
  field: string;
  anchor: unknown;
  head: unknown;
}

/** The smallest edit turning `a` into `b`: delete `remove` characters at `at`, insert `insert`. */
export function textDiff(a: string, b: string): { at: number; remove: number; insert: string } {
  let p = 0;
  const max = Math.min(a.length, b.length);
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return { at: p, remove: a.length - p - s, insert: b.slice(p, b.length - s) };
}

/** Moves an index through a Y.Text delta (remote insertions before it push it right). */
export function moveIndex(index: number, delta: readonly { insert?: unknown; delete?: number; retain?: number }[]): number {
  let pos = 0;
  let out = index;
  for (const d of delta) {
    if (d.retain !== undefined) pos += d.retain;
    else if (d.insert !== undefined) {
      const n = typeof d.insert === 'string' ? d.insert.length : 1;
      if (pos <= index) out += n;
      pos += n;
    } else if (d.delete !== undefined) {
      if (pos < index) out -= Math.min(d.delete, index - pos);
    }
    if (pos > index) break;
  }
  return Math.max(0, out);
}

const AUTO_SIZE = typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('field-sizing', 'content');

@customElement('rl-nb-text')
export class RlNbText extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .wrap { position: relative; }
    .mirror, textarea {
      font: inherit; font-family: var(--rl-nb-text-font, var(--rl-font)); font-size: var(--rl-nb-text-size, 0.95rem); line-height: 1.5;
      padding: 8px 10px; margin: 0; border: 1px solid transparent; border-radius: 6px; width: 100%;
      white-space: pre-wrap; overflow-wrap: break-word; word-break: normal; letter-spacing: normal; tab-size: 4;
    }
    .mirror { position: absolute; inset: 0; color: transparent; pointer-events: none; overflow: hidden; }
    textarea { position: relative; display: block; resize: none; overflow: hidden; background: transparent; color: var(--rl-ink); border-color: var(--rl-line-strong); min-height: 2.6em; field-sizing: content; }
    textarea:focus { outline: 3px solid var(--rl-focus); outline-offset: 1px; }
    textarea[readonly] { color: var(--rl-ink-2); }
    :host([single]) textarea { min-height: 0; }
    :host([single]) textarea:not(:focus):not(:hover), textarea[readonly]:not(:focus) { border-color: transparent; }
    .sel { border-radius: 2px; }
    .caret { position: relative; display: inline-block; width: 0; height: 1.2em; vertical-align: text-bottom; border-left: 2px solid var(--c); margin-left: -1px; }
    .caret .who { position: absolute; left: -2px; bottom: 100%; font-family: var(--rl-font); font-size: 0.68rem; font-weight: 700; line-height: 1.2; color: white; background: var(--c); padding: 0 4px; border-radius: 3px 3px 3px 0; white-space: nowrap; }
  `];

  @property({ attribute: false }) ytext: Y.Text | null = null;
  @property({ attribute: false }) carets: readonly RemoteCaret[] = [];
  @property({ type: Boolean }) readonly = false;
  /** One line (a title): Enter does not add a line. */
  @property({ type: Boolean, reflect: true }) single = false;
  @property() label = '';
  @property() placeholder = '';
  /** Where this text is (a cell id and a field), for awareness. */
  @property() cell = '';
  @property() field = '';
  @state() private value = '';
  @query('textarea') private area!: HTMLTextAreaElement | null;
  private observed: Y.Text | null = null;
  private sentAt = 0;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('ytext')) this.bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observed?.unobserve(this.onRemote);
    this.observed = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.ytext && !this.observed) this.bind();
  }

  private bind(): void {
    this.observed?.unobserve(this.onRemote);
    this.observed = this.ytext;
    this.value = this.ytext?.toString() ?? '';
    this.ytext?.observe(this.onRemote);
  }

  private readonly onRemote = (e: Y.YTextEvent): void => {
    if (e.transaction.origin === this) return;
    const area = this.area;
    const next = this.ytext?.toString() ?? '';
    if (area && this.isFocused()) {
      const delta = e.delta as { insert?: unknown; delete?: number; retain?: number }[];
      const start = moveIndex(area.selectionStart, delta);
      const end = moveIndex(area.selectionEnd, delta);
      area.value = next;
      area.setSelectionRange(start, end);
    }
    this.value = next;
  };

  private isFocused(): boolean {
    return this.shadowRoot?.activeElement === this.area;
  }

  protected override updated(): void {
    const area = this.area;
    if (!area) return;
    if (area.value !== this.value && !this.isFocused()) area.value = this.value;
    // Grow with the content. CSS does it where `field-sizing` exists; elsewhere measure — a
    // forced layout, so a page of many fields measures only what it shows.
    if (AUTO_SIZE) return;
    area.style.height = 'auto';
    area.style.height = `${area.scrollHeight + 2}px`;
  }

  private onInput(e: InputEvent): void {
    const area = e.target as HTMLTextAreaElement;
    const t = this.ytext;
    if (!t || this.readonly) return;
    let now = area.value;
    if (this.single && now.includes('\n')) {
      now = now.replace(/\n/g, ' ');
      area.value = now;
    }
    const d = textDiff(t.toString(), now);
    if (d.remove === 0 && d.insert === '') return;
    t.doc!.transact(() => {
      if (d.remove) t.delete(d.at, d.remove);
      if (d.insert) t.insert(d.at, d.insert);
    }, this);
    this.value = now;
    this.sendCursor(true);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && this.single) {
      e.preventDefault();
      this.area?.blur();
    }
    if (e.key === 'Escape') {
      this.area?.blur();
      this.dispatchEvent(new CustomEvent('rl-nb-escape', { bubbles: true, composed: true }));
    }
  }

  /** Tells the page where this person's caret is (throttled). */
  private sendCursor(force = false): void {
    const area = this.area;
    const t = this.ytext;
    if (!area || !t) return;
    const now = Date.now();
    if (!force && now - this.sentAt < 60) return;
    this.sentAt = now;
    // assoc -1: a caret sticks to the character before it, so text typed after it by others does not push it along.
    const rel = (i: number) => Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(t, Math.min(i, t.length), -1));
    const cursor: Presence['cursor'] = { cell: this.cell, field: this.field, anchor: rel(area.selectionStart), head: rel(area.selectionEnd) };
    this.dispatchEvent(new CustomEvent('rl-nb-cursor', { detail: cursor, bubbles: true, composed: true }));
  }

  private onBlur(): void {
    this.dispatchEvent(new CustomEvent('rl-nb-cursor', { detail: { cell: this.cell }, bubbles: true, composed: true }));
  }

  /** The text with the others' selections and carets marked. */
  private mirror() {
    const t = this.ytext;
    const doc = t?.doc;
    const text = this.value;
    const carets = this.carets.filter((c) => c.field === this.field);
    if (!t || !doc || carets.length === 0) return text;
    const abs = (json: unknown): number | null => {
      if (!json) return null;
      try {
        const p = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(json), doc);
        return p && p.type === t ? Math.min(p.index, text.length) : null;
      } catch {
        return null;
      }
    };
    type Mark = { at: number; kind: 'start' | 'end' | 'caret'; c: RemoteCaret };
    const marks: Mark[] = [];
    for (const c of carets) {
      const head = abs(c.head);
      if (head === null) continue;
      const anchor = abs(c.anchor) ?? head;
      if (anchor !== head) {
        marks.push({ at: Math.min(anchor, head), kind: 'start', c }, { at: Math.max(anchor, head), kind: 'end', c });
      }
      marks.push({ at: head, kind: 'caret', c });
    }
    marks.sort((a, b) => a.at - b.at);
    const out: unknown[] = [];
    let pos = 0;
    const open: RemoteCaret[] = [];
    const seg = (to: number) => {
      if (to <= pos) return;
      const piece = text.slice(pos, to);
      const sel = open[open.length - 1];
      out.push(sel ? html`<span class="sel" ${cssom({ background: `${sel.color}33` })}>${piece}</span>` : piece);
      pos = to;
    };
    for (const m of marks) {
      seg(m.at);
      if (m.kind === 'start') open.push(m.c);
      else if (m.kind === 'end') open.splice(open.indexOf(m.c), 1);
      else out.push(html`<span class="caret" ${cssom({ '--c': m.c.color })}><span class="who">${m.c.name}</span></span>`);
    }
    seg(text.length);
    // A trailing newline needs a character after it to take up its line in the mirror.
    out.push('\u200b');
    return out;
  }

  override render() {
    return html`<div class="wrap">
      <div class="mirror" aria-hidden="true">${this.mirror()}</div>
      <textarea aria-label=${this.label || nothing} placeholder=${this.placeholder} ?readonly=${this.readonly} rows="1" spellcheck="true"
        .value=${this.value}
        @input=${this.onInput} @keydown=${this.onKey} @keyup=${() => this.sendCursor()} @click=${() => this.sendCursor(true)}
        @select=${() => this.sendCursor()} @focus=${() => this.sendCursor(true)} @blur=${this.onBlur}></textarea>
    </div>`;
  }

  /** Focuses the field (and puts the caret at the end). */
  override focus(): void {
    const a = this.area;
    if (!a) return;
    a.focus();
    a.setSelectionRange(a.value.length, a.value.length);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-nb-text': RlNbText }
}
