// One actor: who plays it, its pseudo-code with the current line highlighted, and its
// step button — disabled with the reason when the actor is blocked (The Deadlock Empire's
// habit). The panel renders; it reports intents with events: rl-step, rl-claim and rl-release.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { ActorChoice } from '../../engine/index.js';
import { ACTOR_COLORS, ROLE_BLURBS, actorKey, actorName, actorRole } from '../lib/labels.js';
import { base } from '../styles/shared.js';

/** Who plays the actor, as the panel shows it. */
export interface SeatView {
  kind: 'you' | 'human' | 'bot' | 'open' | 'scheduler';
  name?: string;
  bot?: string;
}

export interface StepDetail { actor: string; step: string }

@customElement('rl-actor-panel')
export class RlActorPanel extends LitElement {
  static override styles = [base, css`
    :host { display: flex; min-width: 0; }
    .panel { display: flex; flex-direction: column; width: 100%; min-width: 0; border-top: 5px solid var(--actor); overflow: hidden; }
    header { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 6px 12px; min-height: 40px; }
    h3 { font-size: 1.05rem; color: var(--actor); display: flex; gap: 8px; align-items: center; }
    .seat { display: flex; align-items: center; gap: 6px; font-size: 0.85rem; }
    .seat .who { font-weight: 600; max-width: 9em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .seat button, .seat select { min-height: 26px; padding: 1px 8px; font-size: 0.8rem; }
    ol.code {
      list-style: none; margin: 0; padding: 6px 0; height: var(--rl-code-height, 200px); overflow: auto;
      background: var(--rl-code); border-top: 1px solid var(--rl-line); border-bottom: 1px solid var(--rl-line);
      font-family: var(--rl-mono); font-size: 11.5px; line-height: 1.45; counter-reset: line;
    }
    ol.code li .c { color: var(--rl-code-comment); font-weight: 400; font-style: italic; }
    ol.code li.now .c { color: var(--rl-code-comment-now); }
    ol.code li { padding: 0 8px 0 3.8em; text-indent: -1.2em; white-space: pre-wrap; word-break: break-word; position: relative; color: var(--rl-ink-2); border-left: 4px solid transparent; }
    ol.code li::before { counter-increment: line; content: counter(line); position: absolute; left: 0; width: 2em; text-align: right; text-indent: 0; color: var(--rl-muted); }
    ol.code li.now { background: var(--rl-highlight); border-left-color: var(--rl-highlight-edge); color: var(--rl-ink); font-weight: 600; }
    ol.code li.blocked { background: var(--rl-danger-soft); border-left-color: var(--rl-danger); }
    ol.code.idle li { color: var(--rl-muted); }
    .foot { padding: 8px 12px 10px; display: flex; flex-direction: column; gap: 5px; }
    button.step { width: 100%; justify-content: flex-start; min-height: 44px; text-align: left; white-space: normal; background: var(--actor); border-color: var(--actor); color: white; }
    button.step:hover:not(:disabled) { filter: brightness(1.1); background: var(--actor); }
    button.step:disabled { background: var(--rl-surface-2); color: var(--rl-ink-2); border-color: var(--rl-line-strong); opacity: 1; }
    button.step .label { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
    button.step kbd { flex: none; }
    .why { min-height: 2.7em; font-size: 0.82rem; line-height: 1.35; color: var(--rl-ink-2); }
    .why.blocked { color: var(--rl-danger); }
    .why .step-id { font-family: var(--rl-mono); color: var(--rl-muted); }
    .note.empty { visibility: hidden; }
    .note { min-height: 4.6em; font-size: 0.8rem; line-height: 1.35; color: var(--rl-ink-2); background: var(--rl-note-soft); border-radius: 6px; padding: 5px 8px; border: 1px solid var(--rl-note-edge); }
    .last { box-shadow: 0 0 0 3px var(--rl-focus) inset; }
  `];

  @property({ attribute: false }) choice: ActorChoice | null = null;
  @property({ attribute: false }) listing: readonly string[] = [];
  @property({ attribute: false }) seat: SeatView = { kind: 'scheduler' };
  /** Whether this client may press the step button (its own actor, or the scheduler). */
  @property({ type: Boolean }) controllable = false;
  /** A request is in flight: keep the button but do not send twice. */
  @property({ type: Boolean }) busy = false;
  /** Read-only (replay): no button, the step shown is the one taken next. */
  @property({ type: Boolean }) readonly = false;
  /** Flash the panel: this actor took the last step. */
  @property({ type: Boolean }) last = false;
  @property({ type: Boolean }) ended = false;
  /** The lesson's plain-words note on the current step. */
  @property() note = '';
  /** The lesson has notes: keep room for one so the layout does not jump between steps. */
  @property({ type: Boolean }) notes = false;
  @query('ol.code') private code!: HTMLOListElement | null;

  private get actor(): string { return this.choice?.actor ?? ''; }

  override render() {
    const c = this.choice;
    if (!c) return nothing;
    const role = actorRole(c.actor);
    const key = actorKey(c.actor);
    const lines = new Set(c.lines);
    const idle = c.lines.length === 0;
    const blocked = !c.enabled && !idle && !this.ended;
    const canPress = this.controllable && c.enabled && !this.readonly;
    return html`
      <section class="panel card ${this.last ? 'last' : ''}" aria-labelledby="title">
        <header>
          <h3 id="title" title=${ROLE_BLURBS[role]}>${actorName(c.actor)}</h3>
          ${this.renderSeat()}
        </header>
        <p class="sr-only">${ROLE_BLURBS[role]}</p>
        <ol class="code ${idle ? 'idle' : ''}" aria-label="${actorName(c.actor)}'s code" tabindex="0">
          ${this.listing.map((line, i) => {
            const [code, comment] = splitComment(line);
            return html`<li class=${lines.has(i) ? (blocked ? 'now blocked' : 'now') : ''} aria-current=${lines.has(i) ? 'step' : 'false'}>${code || (comment ? '' : ' ')}${comment ? html`<span class="c">${comment}</span>` : nothing}</li>`;
          })}
        </ol>
        <div class="foot">
          ${this.readonly ? nothing : html`
            <button class="step" ?disabled=${!canPress || this.busy} @click=${this.onStep}
              aria-keyshortcuts=${key} aria-describedby="why"
              title=${c.enabled ? `Step ${actorName(c.actor)}: ${c.label}` : (c.reason ?? '')}>
              <kbd aria-hidden="true">${key}</kbd>
              <span class="label">${c.label ? `Step: ${c.label}` : 'No step'}</span>
            </button>`}
          <p id="why" class="why ${blocked ? 'blocked' : ''}">${this.whyText(c, canPress)}</p>
          ${this.notes || this.note ? html`<p class="note ${this.note && !this.ended ? '' : 'empty'}">${this.ended ? '' : this.note}</p>` : nothing}
        </div>
      </section>`;
  }

  private whyText(c: ActorChoice, canPress: boolean) {
    if (this.ended) return html`The run has ended.`;
    if (!c.enabled) return html`${c.lines.length ? 'Blocked: ' : ''}${c.reason ?? 'cannot move'}`;
    if (this.readonly) return html`Next: <span class="step-id">${stepPlace(c)}</span>`;
    if (canPress) return html`Ready: <span class="step-id">${stepPlace(c)}</span>`;
    if (this.seat.kind === 'bot') return html`Ready — the bot decides when. <span class="step-id">${stepPlace(c)}</span>`;
    if (this.seat.kind === 'human') return html`Ready — ${this.seat.name ?? 'another player'} decides when.`;
    return html`Ready — claim this actor to step it.`;
  }

  private renderSeat() {
    const s = this.seat;
    if (this.readonly) return nothing;
    switch (s.kind) {
      case 'scheduler': return html`<span class="seat muted">you schedule</span>`;
      case 'you': return html`<span class="seat"><span class="chip">you</span>
        <button class="quiet" @click=${() => this.emit('rl-release')} title="Give this actor back">Release</button></span>`;
      case 'human': return html`<span class="seat"><span class="who" title=${s.name ?? ''}>${s.name ?? 'a player'}</span></span>`;
      case 'bot': return html`<span class="seat"><span class="chip">bot: ${s.bot ?? '?'}</span>
        <button class="quiet" @click=${() => this.emit('rl-claim')}>Claim</button></span>`;
      case 'open': return html`<span class="seat">
        <button @click=${() => this.emit('rl-claim')}>Claim</button></span>`;
    }
  }

  private emit(type: 'rl-claim' | 'rl-release') {
    this.dispatchEvent(new CustomEvent(type, { detail: { actor: this.actor }, bubbles: true, composed: true }));
  }

  private onStep() {
    const c = this.choice;
    if (!c || !c.enabled) return;
    this.dispatchEvent(new CustomEvent<StepDetail>('rl-step', { detail: { actor: c.actor, step: c.step }, bubbles: true, composed: true }));
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('choice')) this.style.setProperty('--actor', ACTOR_COLORS[actorRole(this.actor)]);
    // Keep the highlighted line in view without scrolling the page.
    const list = this.code;
    const li = list?.querySelector<HTMLElement>('li.now');
    if (list && li) {
      const top = li.offsetTop - list.offsetTop;
      if (top < list.scrollTop + 8 || top + li.offsetHeight > list.scrollTop + list.clientHeight - 8) {
        list.scrollTop = Math.max(0, top - list.clientHeight / 3);
      }
    }
  }
}

/** Where the actor's next step is, in the player's words: the highlighted lines of its code (never the engine's step id). */
export function stepPlace(c: ActorChoice): string {
  if (c.lines.length === 0) return 'no step';
  const first = Math.min(...c.lines) + 1;
  const last = Math.max(...c.lines) + 1;
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}

/** Splits a pseudo-C line into its code and its trailing comment (shown muted). */
export function splitComment(line: string): [string, string] {
  const i = line.indexOf('/*');
  return i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i)];
}

declare global {
  interface HTMLElementTagNameMap { 'rl-actor-panel': RlActorPanel }
}
