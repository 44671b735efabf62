// A glossary term inside lesson text: the word stays in the sentence, marked as something
// the player can open. Activating it (click, Enter or Space) shows the term's definition
// and source beside the word; Escape or a second press closes it. The full list is the
// glossary page, #/glossary. Lesson Markdown links such as [MMF_OOM_SKIP](#/glossary/mmf-oom-skip)
// become this element (client/lib/markdown.ts).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { glossaryEntry } from '../../lessons/glossary.js';
import { sourceUrl } from '../../lessons/source-links.js';
import { renderDefinition } from '../lib/glossary-text.js';

@customElement('rl-glossary-term')
export class RlGlossaryTerm extends LitElement {
  static override styles = css`
    :host { display: inline; position: relative; }
    button.term { all: unset; cursor: help; border-bottom: 1px dotted currentColor; }
    button.term:focus-visible { outline: 3px solid var(--rl-focus); outline-offset: 1px; border-radius: 2px; }
    .pop { position: fixed; z-index: 30; left: 0; top: 0; width: min(22rem, 80vw); padding: 10px 12px;
      background: var(--rl-surface); color: var(--rl-ink); border: 1px solid var(--rl-line-strong);
      border-radius: 8px; box-shadow: 0 6px 18px rgba(0,0,0,0.18); font-size: 0.86rem; line-height: 1.45; font-weight: 400; white-space: normal; }
    .pop b { display: block; margin-bottom: 4px; }
    .pop p { margin: 0 0 6px; }
    .pop code { font-family: var(--rl-mono, monospace); font-size: 0.9em; }
    .src { font-size: 0.78rem; color: var(--rl-ink-2); }
  `;

  /** The glossary id (`mmf-oom-skip`). */
  @property() term = '';
  @state() private open = false;

  private readonly onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && this.open) { e.stopPropagation(); this.open = false; }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    this.removeEventListener('keydown', this.onKey);
    window.removeEventListener('scroll', this.onScroll, { capture: true });
    super.disconnectedCallback();
  }

  private readonly onScroll = () => { this.open = false; };

  /**
   * Places the open definition beside the word, inside the window. It is `position: fixed`
   * so the scrolling panels around the text do not clip it; coordinates go through the
   * CSSOM, which the CSP allows. A scroll closes it rather than leaving it adrift.
   */
  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('open')) {
      if (this.open) window.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
      else window.removeEventListener('scroll', this.onScroll, { capture: true });
    }
    const pop = this.renderRoot.querySelector<HTMLElement>('.pop');
    const word = this.renderRoot.querySelector<HTMLElement>('button.term');
    if (!pop || !word) return;
    const w = word.getBoundingClientRect();
    const p = pop.getBoundingClientRect();
    const left = Math.max(8, Math.min(w.left, window.innerWidth - p.width - 8));
    const below = w.bottom + 4;
    const top = below + p.height <= window.innerHeight - 8 ? below : Math.max(8, w.top - p.height - 4);
    pop.style.setProperty('left', `${left}px`);
    pop.style.setProperty('top', `${top}px`);
  }

  override render() {
    const e = glossaryEntry(this.term);
    if (!e) return html`<slot></slot>`;
    const url = sourceUrl(e.source);
    return html`<button class="term" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="pop"
        title="What is ${e.term}?" @click=${() => { this.open = !this.open; }}><slot></slot></button>${this.open ? html`<span id="pop" class="pop" role="note" aria-label=${e.term}>
        <b>${e.term}</b>${unsafeHTML(renderDefinition(e.definition))}
        <span class="src">Source: ${url ? html`<a href=${url} target="_blank" rel="noopener">${e.source.title}</a>` : e.source.title}
          · <a href="#/glossary/${e.id}">all terms</a></span>
      </span>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-glossary-term': RlGlossaryTerm }
}
