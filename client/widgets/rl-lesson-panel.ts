// The lesson beside the board: its story (Markdown, sanitised), the goal in one line, what
// each role does and wants, what the machine simplifies, and hints revealed one at a time
// (the count is remembered).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { Lesson } from '../../lessons/schema.js';
import type { LessonRef } from '../../protocol/events.js';
import { OUTCOME_ICONS, ROLE_NAMES } from '../lib/labels.js';
import { renderMarkdown } from '../lib/markdown.js';
import './rl-glossary-term.js';
import { base } from '../styles/shared.js';

@customElement('rl-lesson-panel')
export class RlLessonPanel extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .card { padding: 12px 14px; display: grid; gap: 10px; }
    .goal { display: flex; gap: 10px; align-items: flex-start; padding: 8px 10px; border-radius: 6px; background: var(--rl-accent-soft); border: 1px solid var(--rl-accent-edge); }
    .goal .icon { font-size: 1.3rem; line-height: 1; }
    .goal p { font-weight: 600; }
    .story { font-size: 0.9rem; line-height: 1.5; color: var(--rl-ink-2); }
    .story :is(p, ul, ol) { margin: 0 0 0.5em; }
    .story code { font-family: var(--rl-mono); font-size: 0.88em; background: var(--rl-surface-2); padding: 0 3px; border-radius: 3px; }
    details summary { cursor: pointer; font-weight: 600; font-size: 0.9rem; }
    .roles { display: grid; gap: 4px; font-size: 0.84rem; margin-top: 6px; }
    .roles b { display: inline-block; min-width: 6.5em; }
    .hints { display: grid; gap: 6px; }
    .hint { font-size: 0.88rem; padding: 6px 10px; border-left: 4px solid var(--rl-focus); background: var(--rl-hint-soft); border-radius: 0 6px 6px 0; }
    .hint :is(p) { margin: 0; }
  `];

  @property({ attribute: false }) lesson: Lesson | null = null;
  @property({ attribute: false }) ref: LessonRef | null = null;
  @property({ type: Number }) hints = 0;
  /** Whether the story is open; the game closes it after the first step to make room. */
  @property({ type: Boolean }) storyOpen = true;

  override render() {
    const l = this.lesson;
    const goal = l?.goal ?? this.ref?.goal;
    if (!goal) return nothing;
    const total = l?.hints.length ?? 0;
    return html`<section class="card" aria-labelledby="lesson-title">
      <div>
        <p class="eyebrow">${l ? `${l.chapter} · ${l.date}` : 'Lesson'}</p>
        <h2 id="lesson-title">${l?.title ?? this.ref?.title}</h2>
      </div>
      <div class="goal" role="note" aria-label="Goal">
        <span class="icon" aria-hidden="true">${OUTCOME_ICONS[goal.outcome]}</span>
        <p>${goal.kind === 'hunt' ? 'Goal: ' : 'Goal (avoid): '}${goal.text}</p>
      </div>
      ${l ? html`
        <details ?open=${this.storyOpen} @toggle=${(e: Event) => { this.storyOpen = (e.target as HTMLDetailsElement).open; }}>
          <summary>The story</summary>
          <div class="story">${unsafeHTML(renderMarkdown(l.story))}</div>
          <div class="roles">
            ${(['victim', 'reaper', 'allocator'] as const).map((r) => html`<div><b>${ROLE_NAMES[r]}</b> ${l.roles[r].does} <span class="muted">— wants ${l.roles[r].wants}</span></div>`)}
          </div>
        </details>
        <details class="simplifies">
          <summary>What this machine simplifies</summary>
          <div class="story">${unsafeHTML(renderMarkdown(l.simplifies))}</div>
        </details>
        <div class="hints" aria-live="polite">
          ${l.hints.slice(0, this.hints).map((h, i) => html`<div class="hint"><b>Hint ${i + 1}.</b> ${unsafeHTML(renderMarkdown(h))}</div>`)}
          ${this.hints < total
            ? html`<button @click=${this.more}>${this.hints === 0 ? 'Stuck? Show a hint' : 'Show the next hint'} (${this.hints + 1} of ${total})</button>`
            : html`<p class="muted">That was the last hint.</p>`}
        </div>` : html`<p class="muted">Loading the lesson…</p>`}
    </section>`;
  }

  private more() {
    this.dispatchEvent(new CustomEvent('rl-hint', { detail: { shown: this.hints + 1 }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-lesson-panel': RlLessonPanel }
}
