// The campaign: every lesson in order with its goal and this player's progress (kept in
// this browser, merged with the server's record for a named player). "Continue" opens the
// first lesson not done yet.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { LessonListItem } from '../../protocol/events.js';
import { lessonList, progress as loadRemote, savedName } from '../lib/api.js';
import { OUTCOME_ICONS, OUTCOME_NAMES, ROLE_NAMES } from '../lib/labels.js';
import { lessonProgress, loadProgress, mergeProgress, type Progress } from '../lib/progress.js';
import { base } from '../styles/shared.js';

@customElement('rl-campaign')
export class RlCampaign extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .page { max-width: 980px; margin: 0 auto; padding: 24px 24px 48px; display: grid; grid-template-columns: minmax(0, 1fr); gap: 18px; }
    .head { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 16px; }
    /* the "Continue: <lesson>" button wraps its title rather than widening the page */
    .head .button { white-space: normal; text-align: left; }
    h1 { font-size: 1.6rem; }
    ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
    li { display: grid; grid-template-columns: 44px minmax(0, 1fr) auto; gap: 14px; align-items: center; padding: 12px 16px; }
    @media (max-width: 640px) { .page { padding: 16px 12px 32px; } li { grid-template-columns: 36px minmax(0, 1fr); gap: 10px; } li > :last-child { grid-column: 1 / -1; justify-self: start; } }
    .num { width: 40px; height: 40px; border-radius: 50%; display: grid; place-items: center; font-weight: 800; background: var(--rl-surface-2); border: 2px solid var(--rl-line-strong); }
    li.done .num { background: var(--rl-success-text); border-color: var(--rl-success-text); color: var(--rl-on-dark); }
    li.next { border-color: var(--rl-accent); box-shadow: 0 0 0 2px var(--rl-accent-soft); }
    h2 { font-size: 1.05rem; }
    .goal { font-size: 0.9rem; color: var(--rl-ink-2); }
    .meta { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 4px; }
    .empty { padding: 24px; }
  `];

  @state() private lessons: LessonListItem[] | null = null;
  @state() private error = '';
  @state() private progress: Progress = loadProgress();

  override connectedCallback(): void {
    super.connectedCallback();
    void lessonList().then((r) => {
      if (r.ok) this.lessons = [...r.data].sort((a, b) => a.order - b.order);
      else this.error = r.message;
    });
    const name = savedName().trim();
    if (name) {
      void loadRemote(name).then((r) => {
        if (!r.ok) return;
        const remote: Progress = {};
        for (const id of r.data.won) remote[id] = { done: true, outcomes: [], hints: 0, updated: 0 };
        this.progress = mergeProgress(loadProgress(), remote);
      });
    }
  }

  override render() {
    const lessons = this.lessons;
    const next = lessons?.find((l) => !lessonProgress(this.progress, l.id).done);
    return html`<main class="page">
      <div class="head">
        <div><a href="#/">← reaplab</a><h1>The campaign</h1>
          <p class="muted">September 2018, linux-mm: a patch to stop needless OOM kills, and what reviewers found in it.
            New words? <a href="#/glossary">The glossary</a> explains them.</p></div>
        ${next ? html`<a class="button primary" href="#/lesson/${next.id}">${lessonProgress(this.progress, next.id).outcomes.length || next.order > 1 ? 'Continue' : 'Start'}: ${next.title}</a>` : nothing}
      </div>
      ${this.error ? html`<div class="card empty" role="alert"><p>${this.error}</p><p><button @click=${() => location.reload()}>Reload</button></p></div>` : nothing}
      ${!lessons && !this.error ? html`<div class="card empty" role="status">Loading the lessons…</div>` : nothing}
      ${lessons ? html`<ol>
        ${lessons.map((l) => {
          const p = lessonProgress(this.progress, l.id);
          return html`<li class="card ${p.done ? 'done' : ''} ${l === next ? 'next' : ''}" data-lesson=${l.id}>
            <span class="num" aria-hidden="true">${p.done ? '✓' : l.order}</span>
            <div>
              <h2>${l.title}</h2>
              <p class="goal">${OUTCOME_ICONS[l.goal.outcome]} ${l.goal.text}</p>
              <div class="meta">
                <span class="chip">${l.solo !== 'scheduler' ? `you play the ${ROLE_NAMES[l.solo]} against bots` : l.mode === 'scheduler' ? 'you schedule' : 'race'}</span>
                ${p.done ? html`<span class="chip">done</span>` : nothing}
                ${p.outcomes.filter((o) => o in OUTCOME_NAMES).map((o) => html`<span class="chip">found: ${OUTCOME_NAMES[o as keyof typeof OUTCOME_NAMES]}</span>`)}
              </div>
            </div>
            <a class="button ${l === next ? 'primary' : ''}" href="#/lesson/${l.id}" aria-label="${p.done ? 'Play again' : 'Play'}: ${l.title}">${p.done ? 'Play again' : 'Play'}</a>
          </li>`;
        })}
      </ol>` : nothing}
    </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-campaign': RlCampaign }
}
