// The end-of-run screen: the verdict against the goal, the lesson's win or lose text, the
// one-line takeaway, what happened (swimlanes and the memory chart), and the sources.
// It is a real modal (<dialog> shown with showModal(): the board behind is inert, Tab and
// Shift+Tab cycle inside, Esc closes it, and focus goes back to where it was when it opened).
// "Look at the board" closes it without losing it. The big badge is the verdict's signal
// when a lesson judged the run (a tick only for "goal reached"); the heading names the
// outcome in words, with no glyph that could contradict the verdict.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { Lesson } from '../../lessons/schema.js';
import type { RunResult } from '../../protocol/events.js';
import { OUTCOME_BLURBS, OUTCOME_NAMES, resultBadge } from '../lib/labels.js';
import { renderMarkdown } from '../lib/markdown.js';
import './rl-glossary-term.js';
import type { RunView } from '../lib/model.js';
import { idSources, sourceUrl } from '../lib/sources.js';
import { legendStyles, memoryLegend } from '../lib/legend.js';
import { badgeStyles, base } from '../styles/shared.js';
import './rl-chart.js';
import type { Charts } from '../charts/load.js';

@customElement('rl-outcome')
export class RlOutcome extends LitElement {
  static override styles = [base, badgeStyles, legendStyles, css`
    :host { display: contents; }
    dialog { border: 0; color: inherit; }
    dialog::backdrop { background: rgba(20, 24, 31, 0.55); }
    .dialog:focus { outline: none; }
    .dialog { width: min(1080px, calc(100vw - 24px)); max-width: none; max-height: calc(100vh - 24px); overflow: auto; padding: 18px 22px 20px; gap: 14px; }
    .dialog[open] { display: grid; }
    .head { display: flex; gap: 16px; align-items: flex-start; }
    .badge { width: 56px; height: 56px; font-size: 1.8rem; }
    h2 { font-size: 1.5rem; }
    .verdict { font-size: 0.8rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em; }
    .verdict.win { color: var(--rl-win-ink); }
    .verdict.lose { color: var(--rl-danger); }
    .text { font-size: 1rem; margin-top: 4px; }
    .detail { font-size: 0.88rem; color: var(--rl-muted); margin-top: 4px; }
    .takeaway { font-size: 1.05rem; padding: 10px 14px; border-left: 5px solid var(--rl-accent); background: var(--rl-accent-soft); border-radius: 0 8px 8px 0; }
    .takeaway p { margin: 0; }
    .charts { display: grid; grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr); gap: 14px; }
    .charts h3, .sources h3 { font-size: 0.95rem; margin-bottom: 4px; }
    .sources ul { margin: 0; padding-left: 1.2em; font-size: 0.88rem; display: grid; gap: 2px; }
    .sources code { font-family: var(--rl-mono); font-size: 0.85em; }
    .saved, .next-in-class { font-size: 0.9rem; margin: 0; }
    .actions { display: flex; flex-wrap: wrap; gap: 10px; justify-content: flex-end; }
    rl-chart { --rl-chart-height: 230px; }
  `];

  @property({ attribute: false }) result: RunResult | null = null;
  @property({ attribute: false }) lesson: Lesson | null = null;
  @property({ attribute: false }) view: RunView | null = null;
  @property({ attribute: false }) actors: readonly string[] = [];
  @property({ attribute: false }) variantSources: readonly string[] = [];
  /** Free play: the variant's one-sentence summary stands in for the lesson's takeaway. */
  @property() summary = '';
  @property({ type: Number }) need = 0;
  @property({ type: Boolean }) canRestart = false;
  @property() nextLesson = '';
  /** The room the run was played in (its notebook keeps the run). */
  @property() room = '';
  /** Set in a class: students stay in the class (no campaign links), the class notebook keeps the run too. */
  @property() classCode = '';
  @query('dialog') private dialog!: HTMLDialogElement | null;
  /** Where focus was when the dialog opened: it goes back there on close. */
  private opener: HTMLElement | null = null;

  override render() {
    const r = this.result;
    if (!r) return nothing;
    const v = this.view;
    const sources = this.lesson?.sources ?? idSources(this.variantSources);
    const headline = r.verdict === 'win' ? 'You did it! — ' : r.verdict === 'lose' ? 'Not this time — ' : 'The run ended in ';
    const badge = resultBadge(r.verdict, r.outcome);
    return html`<dialog class="dialog card" role="dialog" aria-modal="true" aria-labelledby="oc-title" @keydown=${this.onKey} @cancel=${this.onCancel}>
      <div class="head">
        <div class="badge ${badge.cls}" aria-hidden="true">${badge.icon}</div>
        <div>
          ${r.verdict !== 'none' ? html`<p class="verdict ${r.verdict}">${r.verdict === 'win' ? 'Goal reached' : 'Goal not reached'}</p>` : nothing}
          <h2 id="oc-title">${headline}${OUTCOME_NAMES[r.outcome]}${r.needlessKill ? ', after a needless kill' : ''}</h2>
          <p class="text">${r.text}</p>
          ${r.detail && r.detail !== r.text ? html`<p class="detail">${r.detail}</p>` : html`<p class="detail">${OUTCOME_BLURBS[r.outcome]}</p>`}
        </div>
      </div>
      ${this.lesson ? html`<div class="takeaway"><b>The lesson:</b> ${unsafeHTML(renderMarkdown(this.lesson.takeaway))}</div>`
        : this.summary ? html`<div class="takeaway"><b>This version:</b> ${this.summary}</div>` : nothing}
      ${v ? html`<div class="charts">
        <div><h3>The interleaving</h3>
          <rl-chart scrollEnd label="Swimlanes of the run" .build=${(c: Charts, w: number) => c.swimlanesChart({ actors: this.actors, cells: v.lanes, outcome: r.outcome }, { width: c.swimlanesWidth(w, Math.max(v.lanes.length, 10)), height: 250, minSteps: 10 })}></rl-chart></div>
        <div><h3>Memory over the run</h3>
          <rl-chart label="Memory over the run" .build=${(c: Charts, w: number) => c.memoryChart({ rows: v.memory, marks: v.marks, need: this.need }, { width: w, height: 230 })}></rl-chart>${memoryLegend()}</div>
      </div>` : nothing}
      ${sources.length ? html`<div class="sources"><h3>Sources</h3><ul>
        ${sources.map((s) => {
          const url = sourceUrl(s);
          return html`<li>${s.title}: ${url ? html`<a href=${url} target="_blank" rel="noopener noreferrer"><code>${s.id}</code></a>` : html`<code>${s.id}</code>`}</li>`;
        })}</ul></div>` : nothing}
      ${this.room ? html`<p class="saved" data-test="run-saved">Saved: this run is in
        ${this.classCode ? html`the <a href="#/notebook/class-${this.classCode}">class notebook</a> and in ` : nothing}the
        <a href="#/notebook/room-${this.room}">notebook of room ${this.room}</a>, and listed on <a href="#/mine">My runs and notebooks</a>.</p>` : nothing}
      ${this.classCode ? html`<p class="next-in-class" data-test="class-next">You are in class <b>${this.classCode}</b>: stay in this room. ${this.canRestart ? 'Play again to look for another outcome, or' : 'Your teacher starts the next run, or moves you;'} compare runs in the class notebook.</p>` : nothing}
      <div class="actions">
        <button @click=${() => this.emit('rl-share')}>Copy a link to this run</button>
        <button @click=${() => this.emit('rl-close')}>Look at the board</button>
        ${this.canRestart ? html`<button class=${r.verdict === 'win' && this.nextLesson ? '' : 'primary'} @click=${() => this.emit('rl-restart')}>Play again</button>` : nothing}
        ${this.classCode ? nothing
          : this.nextLesson ? html`<a class="button ${r.verdict === 'win' ? 'primary' : ''}" href="#/lesson/${this.nextLesson}">Next lesson →</a>`
          : this.lesson ? html`<a class="button" href="#/campaign">Back to the campaign</a>` : html`<a class="button" href="#/">Back to the first screen</a>`}
      </div>
    </dialog>`;
  }

  /** The dialog's controls in tab order (charts' scroll boxes included). */
  private focusables(): HTMLElement[] {
    return [...(this.dialog?.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input, select, [tabindex]:not([tabindex="-1"])') ?? [])];
  }

  private onKey(e: KeyboardEvent) {
    if (e.key === 'Tab') {
      // Keep Tab inside: from the last control to the first, and back with Shift.
      const items = this.focusables();
      const active = this.deepActive();
      const at = items.findIndex((el) => el === active || el.shadowRoot?.contains(active));
      if (items.length && (e.shiftKey ? at <= 0 : at === items.length - 1 || at < 0)) {
        e.preventDefault();
        (e.shiftKey ? items.at(-1)! : items[0]!).focus();
      }
    }
    e.stopPropagation();
  }

  private onCancel(e: Event) {
    // Esc: the board's owner closes the dialog (it may show it again later).
    e.preventDefault();
    this.emit('rl-close');
  }

  private deepActive(): Element | null {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const active = this.deepActive();
    this.opener = active instanceof HTMLElement && active !== document.body ? active : null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    const back = this.opener;
    this.opener = null;
    // Back where the player was, when that is still there and can take focus (the host decides otherwise).
    if (back?.isConnected && !(back as HTMLButtonElement).disabled) back.focus();
  }

  private emit(type: string) {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }

  protected override updated(changed: PropertyValues): void {
    const d = this.dialog;
    if (changed.has('result') && this.result && d && !d.open) {
      d.showModal();
      // Focus the heading first: it is what a screen reader should read, and Tab goes on from there.
      const h = this.renderRoot.querySelector<HTMLElement>('#oc-title');
      h?.setAttribute('tabindex', '-1');
      h?.focus();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-outcome': RlOutcome }
}
