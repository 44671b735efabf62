// A trace cell: one recorded run, immutable. Folded, it is a line of provenance (which
// run, where, who played which actor, when), the interleaving as a strip of coloured
// steps and the outcome. Unfolded, it is a replay: a step slider, the actors' code with
// the current line (the game's actor panels), the state picture (rl-state-view), the
// memory chart and the swimlanes (the game's Plot builders). The run is replayed with the
// engine in the browser — nothing derived is stored. Notes are collaborative.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { count, enabledActions, variantPrograms } from '../../engine/index.js';
import type { CellView } from '../../protocol/notebook/doc.js';
import { actorName, actorRole, OUTCOME_ICONS, OUTCOME_NAMES, resultBadge } from '../lib/labels.js';
import { legendStyles, memoryLegend } from '../lib/legend.js';
import { runView, stepLabel, type RunView } from '../lib/model.js';
import { shareHash } from '../lib/share.js';
import { badgeStyles, base } from '../styles/shared.js';
import './rl-actor-panel.js';
import './rl-chart.js';
import './rl-state-view.js';
import './rl-nb-text.js';
import type { RemoteCaret } from './rl-nb-text.js';
import { cellStyles } from '../notebook/styles.js';
import { PlaybackController } from '../controllers/playback-controller.js';
import type { Charts } from '../charts/load.js';

const when = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

@customElement('rl-nb-trace')
export class RlNbTrace extends LitElement {
  private readonly playback = new PlaybackController(this, () => this.max, 800);
  static override styles = [base, badgeStyles, cellStyles, legendStyles, css`
    .head { display: flex; gap: 12px; align-items: flex-start; }
    .badge { width: 40px; height: 40px; font-size: 1.3rem; }
    .what { flex: 1; min-width: 0; }
    .what h2 { font-size: 1.05rem; }
    .meta { font-size: 0.84rem; color: var(--rl-ink-2); }
    .who { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 0.82rem; margin-top: 2px; }
    .who b { font-weight: 600; }
    .strip { display: flex; flex-wrap: wrap; gap: 2px; align-items: center; margin: 8px 0 4px; }
    /* each square jumps to its step: a 24 px touch target */
    .s { width: 24px; height: 24px; border-radius: 4px; padding: 0; min-height: 0; border: 0; cursor: pointer; }
    .s.victim { background: var(--rl-victim); } .s.reaper { background: var(--rl-reaper); } .s.allocator { background: var(--rl-allocator); }
    .s.now { outline: 3px solid var(--rl-focus); outline-offset: 1px; }
    .s.later { opacity: 0.3; }
    .end { font-weight: 700; margin-left: 6px; font-size: 0.9rem; }
    .legend { font-size: 0.76rem; color: var(--rl-muted); display: flex; gap: 10px; }
    .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 3px; vertical-align: -1px; }
    .legend .victim { background: var(--rl-victim); } .legend .reaper { background: var(--rl-reaper); } .legend .allocator { background: var(--rl-allocator); }
    .replay { display: grid; gap: 10px; margin-top: 8px; padding-top: 8px; border-top: 1px dashed var(--rl-line); }
    .controls { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
    .controls input[type="range"] { flex: 1 1 120px; min-width: 0; accent-color: var(--rl-accent); }
    .controls output { font-variant-numeric: tabular-nums; min-width: 7em; text-align: right; font-weight: 600; white-space: nowrap; }
    .next { font-size: 0.9rem; padding: 6px 10px; background: var(--rl-surface-2); border-radius: 6px; }
    .actors { display: grid; grid-template-columns: repeat(var(--actors, 3), minmax(0, 1fr)); gap: 10px; --rl-code-height: 150px; }
    .charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 10px; }
    .charts h4 { font-size: 0.9rem; margin: 0 0 2px; }
    rl-chart { --rl-chart-height: 180px; }
    :host([compact]) .charts { grid-template-columns: minmax(0, 1fr); }
    :host([compact]) .head .badge { width: 32px; height: 32px; font-size: 1rem; }
  `];

  @property({ attribute: false }) cell: Extract<CellView, { kind: 'trace' }> | null = null;
  @property({ attribute: false }) carets: readonly RemoteCaret[] = [];
  @property({ type: Boolean }) canEdit = false;
  /** Unfolded (the replay shown). */
  @property({ type: Boolean, reflect: true }) open = false;
  /** Half a page wide (side by side with another run): no code panels, charts stacked, no notes. */
  @property({ type: Boolean, reflect: true }) compact = false;
  /** Picked for the side-by-side comparison. */
  @property({ type: Boolean }) compared = false;
  private view: RunView | null = null;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('cell')) {
      this.view = null;
      this.playback.at = this.cell?.trace.actions.length ?? 0;
    }
    if (this.open && !this.view && this.cell) this.view = runView(this.cell.trace.scenario, this.cell.trace.actions);
  }

  private get max(): number {
    return this.cell?.trace.actions.length ?? 0;
  }

  /** Unfolds the replay at step n. */
  show(n?: number): void {
    this.open = true;
    if (n !== undefined) this.playback.go(n);
  }

  override render() {
    const c = this.cell;
    if (!c) return nothing;
    const t = c.trace;
    const where = [t.room ? `room ${t.room}` : '', t.classCode ? `class ${t.classCode}` : '', t.lesson ? `lesson ${t.lesson}` : ''].filter(Boolean).join(' · ');
    const programs = variantPrograms(t.scenario.variant);
    return html`
      <div class="head">
        <div class="badge ${resultBadge(t.verdict, t.outcome).cls}" aria-hidden="true">${resultBadge(t.verdict, t.outcome).icon}</div>
        <div class="what">
          <h2>Run ${t.run}${where ? ` · ${where}` : ''} — ${OUTCOME_NAMES[t.outcome]}${t.needlessKill ? ', after a needless kill' : ''}</h2>
          <p class="meta">${programs.source.title} × ${t.scenario.config.title} · ${count(t.actions.length, 'step')} · finished ${when(t.finishedAt)}${t.verdict !== 'none' ? html` · goal <b>${t.verdict === 'win' ? 'reached' : 'not reached'}</b>` : nothing}${c.created.via === 'import' ? ` · imported by ${c.created.by}` : ''}</p>
          <p class="who">${Object.entries(t.players).map(([actor, who]) => html`<span><b>${actorName(actor)}:</b> ${who.join(', ') || '—'}</span>`)}</p>
        </div>
      </div>
      <div class="strip" role="group" aria-label="The interleaving, one square per step">
        ${t.actions.map((a, i) => html`<button class="s ${actorRole(a.actor)} ${this.open && i + 1 === this.playback.at ? 'now' : ''} ${this.open && i + 1 > this.playback.at ? 'later' : ''}"
          title="${i + 1}. ${actorName(a.actor)}: ${a.step} (${t.by[i] ?? ''})" aria-label="step ${i + 1}: ${actorName(a.actor)} ${a.step}"
          @click=${() => this.show(i + 1)}></button>`)}
        <span class="end">${OUTCOME_ICONS[t.outcome]} ${OUTCOME_NAMES[t.outcome]}</span>
      </div>
      <div class="row">
        <button class="small ${this.open ? '' : 'primary'}" aria-expanded=${this.open} @click=${() => { this.open = !this.open; this.playback.stop(); }}>${this.open ? 'Fold the replay' : '▶ Replay step by step'}</button>
        <a class="button small" href=${shareHash({ scenario: t.scenario, actions: t.actions, ...(t.lesson ? { lesson: t.lesson } : {}) })}>Open as a full-page replay</a>
        ${this.compact ? nothing : html`<button class="small" aria-pressed=${this.compared ? 'true' : 'false'} title="Replay two runs side by side"
          @click=${() => this.dispatchEvent(new CustomEvent('rl-nb-compare', { detail: { cell: c.id }, bubbles: true, composed: true }))}>${this.compared ? '✓ In the comparison' : 'Compare side by side'}</button>`}
        <span class="legend" aria-hidden="true"><span><i class="victim"></i>victim</span><span><i class="reaper"></i>reaper</span><span><i class="allocator"></i>allocator</span></span>
      </div>
      ${this.open ? this.renderReplay() : nothing}
      ${this.compact ? nothing : html`<p class="label">Notes</p>
      <rl-nb-text .ytext=${c.notes} .carets=${this.carets} ?readonly=${!this.canEdit} cell=${c.id} field="notes" label="Notes on this run"
        placeholder=${this.canEdit ? 'Why did it end this way? Annotate the run (e.g. "step 7: the reaper…")' : 'No notes yet.'}></rl-nb-text>`}`;
  }

  private renderReplay() {
    const c = this.cell!;
    const v = this.view;
    if (!v) return nothing;
    const t = c.trace;
    const s = v.states[Math.min(this.playback.at, v.states.length - 1)]!;
    const programs = variantPrograms(t.scenario.variant);
    const choices = enabledActions(s);
    const actors = enabledActions(v.states[0]!).map((x) => x.actor);
    const next = this.playback.at < t.actions.length ? t.actions[this.playback.at]! : null;
    const final = v.states[v.states.length - 1]!;
    const need = t.scenario.config.need[0] ?? 0;
    this.style.setProperty('--actors', String(choices.length));
    return html`<div class="replay" role="group" aria-label="Replay of run ${t.run}">
      <div class="controls" role="group" aria-label="Replay controls">
        <button class="small" @click=${() => this.playback.go(0)} title="Back to the start"><span aria-hidden="true">|◀</span> Start</button>
        <button class="small" @click=${() => this.playback.go(this.playback.at - 1)} ?disabled=${this.playback.at === 0} title="One step back"><span aria-hidden="true">◀</span> Back</button>
        <button class="small primary" @click=${() => this.playback.toggle()}>${this.playback.playing ? html`<span aria-hidden="true">❚❚</span> Pause` : html`<span aria-hidden="true">▶</span> Play`}</button>
        <button class="small" @click=${() => this.playback.go(this.playback.at + 1)} ?disabled=${this.playback.at >= this.max} title="One step on">Next <span aria-hidden="true">▶</span></button>
        <input type="range" min="0" max=${this.max} .value=${String(this.playback.at)} aria-label="Step of the replay"
          @input=${(e: Event) => { this.playback.stop(); this.playback.go(Number((e.target as HTMLInputElement).value)); }} />
        <output aria-live="polite">step ${this.playback.at} of ${this.max}</output>
      </div>
      ${v.error ? html`<p class="next" role="alert">This run no longer replays past step ${v.error.index}: ${v.error.message}</p>` : nothing}
      <p class="next">${next
        ? html`Next: the <b>${actorName(next.actor)}</b> takes <code>${stepLabel(s, next)}</code>${/:(\d+)$/.test(next.step) ? ` on VMA ${/:(\d+)$/.exec(next.step)![1]}` : ''}${t.by[this.playback.at] ? ` (${t.by[this.playback.at]})` : ''}.`
        : final.outcome ? html`${OUTCOME_ICONS[final.outcome.id]} <b>${OUTCOME_NAMES[final.outcome.id]}</b>${final.outcome.detail ? `: ${final.outcome.detail}` : ''}` : 'The run stops here.'}</p>
      <rl-state-view .state=${s}></rl-state-view>
      ${this.compact ? nothing : html`<div class="actors">
        ${choices.map((ch) => html`<rl-actor-panel readonly .choice=${ch} ?last=${ch.actor === next?.actor} ?ended=${s.outcome !== null}
          .listing=${ch.role === 'victim' ? programs.victim.listing : ch.role === 'reaper' ? programs.reaper.listing : programs.allocator.listing}></rl-actor-panel>`)}
      </div>`}
      <div class="charts">
        <section><h4>Memory over the steps</h4>
          <rl-chart label="Memory over the steps" .build=${(c: Charts, w: number) => c.memoryChart({ rows: v.memory, marks: v.marks, need, current: this.playback.at }, { width: w, height: 180 })}></rl-chart>${memoryLegend()}</section>
        <section><h4>The interleaving</h4>
          <rl-chart label="Swimlanes" .build=${(c: Charts, w: number) => c.swimlanesChart({ actors, cells: v.lanes, outcome: final.outcome?.id ?? null, current: this.playback.at }, { width: c.swimlanesWidth(w, Math.max(v.lanes.length, 12)), height: 180, minSteps: 12 })}></rl-chart></section>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-nb-trace': RlNbTrace }
}
