// Placeholder for the collaborative notebook (#/notebook/<id>), which is built separately.
// It keeps the route stable so links shared today keep working once the notebook lands.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { base } from '../styles/shared.js';

@customElement('rl-notebook-placeholder')
export class RlNotebookPlaceholder extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .box { max-width: 680px; margin: 64px auto; padding: 28px 32px; display: grid; gap: 12px; }
    h1 { font-size: 1.5rem; }
    code { font-family: var(--rl-mono); background: var(--rl-surface-2); padding: 1px 6px; border-radius: 4px; }
  `];

  @property() notebook = '';

  override render() {
    return html`<section class="box card" aria-labelledby="nb-title">
      <p class="eyebrow">Notebook</p>
      <h1 id="nb-title">Notebook <code>${this.notebook}</code></h1>
      <p>Notebooks — shared notes, replayable traces and explorer cells, edited together — are on their way. This link will open this notebook once they land.</p>
      <p class="muted">Meanwhile, a finished run's <b>Copy a link to this run</b> button gives a link anyone can replay.</p>
      <p><a class="button primary" href="#/">Back to the first screen</a> <a class="button" href="#/campaign">Play the campaign</a></p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-notebook-placeholder': RlNotebookPlaceholder }
}
