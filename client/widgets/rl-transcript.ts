// A text transcript of the run for screen readers and for reading back: one line per
// accepted step, who took it, and what the engine said happened. The newest line is
// announced through a polite live region; the full list is a scrollable ordered list.
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { TranscriptLine } from '../lib/model.js';
import { base } from '../styles/shared.js';

@customElement('rl-transcript')
export class RlTranscript extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .card { padding: 10px 14px; }
    h3 { font-size: 0.95rem; margin-bottom: 6px; }
    ol { margin: 0; padding-left: 2.2em; max-height: var(--rl-transcript-height, 180px); overflow: auto; font-size: 0.82rem; display: grid; gap: 2px; }
    li:last-child { font-weight: 600; }
    .empty { font-size: 0.85rem; }
  `];

  @property({ attribute: false }) lines: readonly TranscriptLine[] = [];
  @property() heading = 'Transcript';
  @property() ending = '';
  @query('ol') private list!: HTMLOListElement | null;

  override render() {
    const last = this.lines.at(-1);
    return html`<section class="card" aria-labelledby="tr-title">
      <h3 id="tr-title">${this.heading}</h3>
      <div class="sr-only" aria-live="polite" aria-atomic="true">${last ? `Step ${last.step}. ${last.text}` : ''} ${this.ending}</div>
      ${this.lines.length === 0 ? html`<p class="empty muted">No steps yet. Each step appears here as a sentence.</p>`
        : html`<ol tabindex="0" aria-labelledby="tr-title">${this.lines.map((l) => html`<li value=${l.step}>${l.text}</li>`)}</ol>`}
      ${this.ending ? html`<p><b>${this.ending}</b></p>` : ''}
    </section>`;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('lines') && this.list) this.list.scrollTop = this.list.scrollHeight;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-transcript': RlTranscript }
}
