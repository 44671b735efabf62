// The referee: from the current state, which outcomes are still reachable and how many
// steps away ("a needless kill is still reachable: 4 steps away"), computed by the server
// from the scenario's full state graph. The lesson's goal outcome is listed first.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { OUTCOMES, type OutcomeId } from '../../engine/index.js';
import type { LessonGoal, RefereeInfo } from '../../protocol/events.js';
import { OUTCOME_ICONS, OUTCOME_NAMES } from '../lib/labels.js';
import { base } from '../styles/shared.js';

const ARTICLE: Record<OutcomeId, string> = { success: 'Success', needless_kill: 'A needless kill', lockup: 'A lockup', oops: 'A kernel oops', panic: 'A panic' };

@customElement('rl-referee')
export class RlReferee extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .card { padding: 10px 14px; }
    h3 { font-size: 0.95rem; margin-bottom: 6px; display: flex; justify-content: space-between; align-items: baseline; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 3px; }
    li { display: grid; grid-template-columns: 1.4em minmax(0, 1fr) auto; gap: 6px; align-items: baseline; font-size: 0.88rem; padding: 2px 4px; border-radius: 4px; }
    li.goal { background: var(--rl-accent-soft); font-weight: 600; }
    li.gone { color: var(--rl-muted); }
    .icon { text-align: center; font-weight: 700; }
    .goal-tag { font-weight: 400; color: var(--rl-accent); }
    .dist { font-variant-numeric: tabular-nums; font-weight: 700; }
    .o-success .icon { color: var(--rl-success-text); }
    .o-needless_kill .icon { color: var(--rl-needless-text); }
    .o-lockup .icon { color: var(--rl-lockup-text); }
    .o-oops .icon { color: var(--rl-oops-text); }
    .o-panic .icon { color: var(--rl-panic-text); }
    .note { font-size: 0.8rem; margin-top: 6px; }
    .lead { font-size: 0.88rem; margin-bottom: 6px; }
  `];

  @property({ attribute: false }) referee: RefereeInfo | null = null;
  @property({ attribute: false }) goal: LessonGoal | null = null;
  /** Outcomes this run has shown already. */
  @property({ attribute: false }) shown: readonly OutcomeId[] = [];

  override render() {
    const r = this.referee;
    if (!r) return nothing;
    const order = [...OUTCOMES].sort((a, b) => (a === this.goal?.outcome ? -1 : b === this.goal?.outcome ? 1 : 0));
    return html`<section class="card" aria-labelledby="ref-title">
      <h3 id="ref-title">Referee <span class="eyebrow">fewest steps from here</span></h3>
      ${r.known && r.nearest ? html`<p class="lead">${ARTICLE[r.nearest.outcome]} is still reachable: <b>${r.nearest.steps === 0 ? 'now' : `${r.nearest.steps} step${r.nearest.steps === 1 ? '' : 's'} away`}</b>.</p>` : nothing}
      ${r.known ? html`<ul>
        ${order.map((o) => {
          const d = r.reachable[o];
          const shown = this.shown.includes(o);
          const gone = d === null && !shown;
          const dist = shown ? 'happened' : d === null ? 'not reachable' : d === 0 ? 'now' : `${d} step${d === 1 ? '' : 's'} away`;
          const sentence = shown ? `${ARTICLE[o]} happened in this run` : d === null ? `${ARTICLE[o]} is no longer reachable` : `${ARTICLE[o]} is still reachable: ${dist}`;
          return html`<li class="o-${o} ${o === this.goal?.outcome ? 'goal' : ''} ${gone ? 'gone' : ''}" data-outcome=${o} title=${sentence} aria-label=${sentence}>
            <span class="icon" aria-hidden="true">${OUTCOME_ICONS[o]}</span>
            <span aria-hidden="true">${OUTCOME_NAMES[o]}${o === this.goal?.outcome ? html` <span class="goal-tag">(goal)</span>` : nothing}</span>
            <span aria-hidden="true" class=${gone ? '' : 'dist'}>${dist}</span>
          </li>`;
        })}
      </ul>
      <p class="note muted">Over every interleaving: the fewest steps, by any actors, to each outcome.</p>`
      : html`<p class="note">This state is beyond what the referee explored, so it cannot say what is still reachable.</p>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-referee': RlReferee }
}
