// A lesson cell: what the room was taught — the story, the goal, the three actors' code
// at the start (the game's own actor panels, read-only), the sources, and the takeaway
// folded away so it does not spoil the hunt. Anyone who may edit can annotate it.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { enabledActions, initialState, variantPrograms } from '../../engine/index.js';
import type { CellView } from '../../protocol/notebook/doc.js';
import { OUTCOME_ICONS, OUTCOME_NAMES } from '../lib/labels.js';
import { renderMarkdown } from '../lib/markdown.js';
import './rl-glossary-term.js';
import { sourceUrl } from '../lib/sources.js';
import { base } from '../styles/shared.js';
import './rl-actor-panel.js';
import './rl-nb-text.js';
import type { RemoteCaret } from './rl-nb-text.js';
import { cellStyles } from '../notebook/styles.js';

@customElement('rl-nb-lesson')
export class RlNbLesson extends LitElement {
  static override styles = [base, cellStyles, css`
    h2 { font-size: 1.2rem; margin: 2px 0 4px; }
    .goal { display: inline-flex; gap: 8px; align-items: center; padding: 4px 10px; border-radius: 6px; background: var(--rl-accent-soft); font-weight: 600; margin: 6px 0; }
    .actors { display: grid; grid-template-columns: repeat(var(--actors, 3), minmax(0, 1fr)); gap: 10px; margin-top: 6px; --rl-code-height: 170px; }
    details { margin-top: 8px; }
    summary { cursor: pointer; font-weight: 600; }
    .play { margin-top: 8px; }
    ul { margin: 4px 0 0; padding-left: 1.2em; font-size: 0.88rem; }
  `];

  @property({ attribute: false }) cell: Extract<CellView, { kind: 'lesson' }> | null = null;
  @property({ attribute: false }) carets: readonly RemoteCaret[] = [];
  @property({ type: Boolean }) canEdit = false;

  override render() {
    const c = this.cell;
    if (!c) return nothing;
    const l = c.lesson;
    const programs = variantPrograms(l.scenario.variant);
    const choices = enabledActions(initialState(l.scenario));
    this.style.setProperty('--actors', String(choices.length));
    return html`
      <p class="eyebrow">${l.chapter} · ${l.date} · ${programs.source.title}</p>
      <h2>${l.title}</h2>
      <div class="rendered">${unsafeHTML(renderMarkdown(l.story))}</div>
      <p class="goal">${OUTCOME_ICONS[l.goal.outcome]} Goal: ${l.goal.text} <span class="muted small">(${l.goal.kind === 'hunt' ? 'find' : 'avoid'} ${OUTCOME_NAMES[l.goal.outcome].toLowerCase()})</span></p>
      <details class="code"><summary>The actors' code at the start</summary>
      <div class="actors">
        ${choices.map((ch) => html`<rl-actor-panel readonly .choice=${ch} note=${l.codeNotes[ch.step] ?? ''}
          .listing=${ch.role === 'victim' ? programs.victim.listing : ch.role === 'reaper' ? programs.reaper.listing : programs.allocator.listing}></rl-actor-panel>`)}
      </div></details>
      <div class="row play">
        ${this.canEdit ? html`<button class="small primary" @click=${() => this.dispatchEvent(new CustomEvent('rl-nb-play', { detail: { lesson: l.id }, bubbles: true, composed: true }))}>▶ Play this lesson into the notebook</button>` : nothing}
        <a class="button small" href="#/lesson/${l.id}">Open it in the campaign</a>
      </div>
      <details><summary>The lesson's takeaway (spoiler)</summary><div class="rendered">${unsafeHTML(renderMarkdown(l.takeaway))}</div></details>
      ${l.sources.length ? html`<details><summary>Sources (${l.sources.length})</summary><ul>
        ${l.sources.map((s) => {
          const url = sourceUrl({ kind: s.kind as 'commit', id: s.id });
          return html`<li>${s.title}: ${url ? html`<a href=${url} target="_blank" rel="noopener noreferrer"><code>${s.id}</code></a>` : html`<code>${s.id}</code>`} (${s.date})</li>`;
        })}</ul></details>` : nothing}
      <p class="label">Notes</p>
      <rl-nb-text .ytext=${c.notes} .carets=${this.carets} ?readonly=${!this.canEdit} cell=${c.id} field="notes" label="Notes on this lesson"
        placeholder=${this.canEdit ? 'Notes on this lesson…' : 'No notes yet.'}></rl-nb-text>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-nb-lesson': RlNbLesson }
}
