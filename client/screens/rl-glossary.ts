// The glossary page (#/glossary, or #/glossary/<id> to jump to one term): every term the
// lessons rely on, with a one-paragraph definition and where to check it.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { GLOSSARY } from '../../lessons/glossary.js';
import { sourceUrl } from '../../lessons/source-links.js';
import { renderDefinition } from '../lib/glossary-text.js';
import { base } from '../styles/shared.js';

@customElement('rl-glossary')
export class RlGlossary extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .page { max-width: 820px; margin: 0 auto; padding: 24px 24px 48px; display: grid; gap: 14px; }
    h1 { font-size: 1.6rem; }
    dl { margin: 0; display: grid; gap: 12px; }
    .entry { padding: 12px 16px; }
    .entry.focus { border-color: var(--rl-accent); box-shadow: 0 0 0 2px var(--rl-accent-soft); }
    dt { font-weight: 700; font-size: 1.02rem; }
    dt .aka { font-weight: 400; font-size: 0.82rem; color: var(--rl-ink-2); }
    dd { margin: 6px 0 0; font-size: 0.92rem; line-height: 1.5; }
    dd p { margin: 0 0 6px; }
    dd code, dt code { font-family: var(--rl-mono); font-size: 0.9em; }
    .src { font-size: 0.8rem; color: var(--rl-ink-2); }
  `];

  /** The term to bring into view, if any. */
  @property() focusTerm = '';

  override render() {
    return html`<main class="page">
      <p><a href="#/campaign">← The campaign</a></p>
      <h1>Glossary</h1>
      <p class="muted">The words the lessons use, in plain terms. In a lesson, a dotted word opens its entry.</p>
      <dl>
        ${[...GLOSSARY].sort((a, b) => a.term.localeCompare(b.term, 'en', { sensitivity: 'base' })).map((e) => {
          const url = sourceUrl(e.source);
          return html`<div class="entry card ${e.id === this.focusTerm ? 'focus' : ''}" id=${e.id}>
            <dt>${e.term}${e.aliases.length ? html` <span class="aka">also ${e.aliases.join(', ')}</span>` : ''}</dt>
            <dd>${unsafeHTML(renderDefinition(e.definition))}
              <span class="src">Source: ${url ? html`<a href=${url} target="_blank" rel="noopener">${e.source.title}</a>` : e.source.title}</span></dd>
          </div>`;
        })}
      </dl>
    </main>`;
  }

  protected override updated(): void {
    if (!this.focusTerm) return;
    const el = this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(this.focusTerm)}`);
    el?.scrollIntoView({ block: 'start' });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-glossary': RlGlossary }
}
