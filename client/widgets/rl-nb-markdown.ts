// A note: collaborative Markdown. Shown rendered (marked, then DOMPurify — the same
// renderer as the lessons) until someone edits it; editing is a collaborative text field
// with the others' carets. Enter or a click on the note edits it; Escape goes back.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type * as Y from 'yjs';
import type { CellView } from '../../protocol/notebook/doc.js';
import { renderMarkdown } from '../lib/markdown.js';
import './rl-glossary-term.js';
import { base } from '../styles/shared.js';
import './rl-nb-text.js';
import type { RemoteCaret, RlNbText } from './rl-nb-text.js';
import { cellStyles } from '../notebook/styles.js';

@customElement('rl-nb-markdown')
export class RlNbMarkdown extends LitElement {
  static override styles = [base, cellStyles];

  @property({ attribute: false }) cell: Extract<CellView, { kind: 'markdown' }> | null = null;
  @property({ attribute: false }) carets: readonly RemoteCaret[] = [];
  @property({ type: Boolean }) canEdit = false;
  @state() private editing = false;
  @state() private text = '';
  @query('rl-nb-text') private field!: RlNbText | null;
  private observed: Y.Text | null = null;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('cell')) this.watch();
    if (!this.canEdit) this.editing = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.cell && !this.observed) this.watch();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observed?.unobserve(this.onText);
    this.observed = null;
  }

  private watch(): void {
    this.observed?.unobserve(this.onText);
    this.observed = this.cell?.text ?? null;
    this.observed?.observe(this.onText);
    this.text = this.observed?.toString() ?? '';
  }

  private readonly onText = (): void => {
    this.text = this.observed?.toString() ?? '';
  };

  /** Starts editing (from the page: Enter on the cell, or a fresh note). */
  edit(): void {
    if (!this.canEdit) return;
    this.editing = true;
    void this.updateComplete.then(() => this.field?.focus());
  }

  override render() {
    const c = this.cell;
    if (!c) return nothing;
    const empty = this.text.trim() === '';
    if (this.canEdit && (this.editing || empty)) {
      return html`<rl-nb-text .ytext=${c.text} .carets=${this.carets} cell=${c.id} field="text" label="Note (Markdown)"
        placeholder="Write a note in Markdown: what you tried, what you saw, why it happened…"
        @rl-nb-escape=${() => { this.editing = false; }}
        @focusout=${() => { this.editing = false; }}></rl-nb-text>`;
    }
    if (empty) return html`<p class="muted small">An empty note.</p>`;
    return html`<div class="rendered" @click=${(e: Event) => { if (!(e.target instanceof HTMLAnchorElement)) this.edit(); }}
      title=${this.canEdit ? 'Click to edit' : ''}>${unsafeHTML(renderMarkdown(this.text))}</div>
      ${this.carets.length ? html`<p class="muted small">${this.carets.map((x) => x.name).join(', ')} ${this.carets.length === 1 ? 'is' : 'are'} editing…</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-nb-markdown': RlNbMarkdown }
}
