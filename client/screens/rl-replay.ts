// Replays a shared run locally: the scenario and actions come from the URL hash, the
// engine's replay() rebuilds every state, and a slider walks through them. Nothing here
// talks to the server (except to fetch the lesson's title and takeaway, if named).
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { count, enabledActions, variantPrograms } from '../../engine/index.js';
import type { Lesson } from '../../lessons/schema.js';
import { KeyboardController } from '../controllers/keyboard-controller.js';
import { lesson as loadLesson } from '../lib/api.js';
import { OUTCOME_ICONS, OUTCOME_NAMES } from '../lib/labels.js';
import { runView, type RunView } from '../lib/model.js';
import { parseShare, shareHash, type SharedRun } from '../lib/share.js';
import { legendStyles, memoryLegend } from '../lib/legend.js';
import { base } from '../styles/shared.js';
import '../widgets/rl-actor-panel.js';
import '../widgets/rl-chart.js';
import '../widgets/rl-state-view.js';
import '../widgets/rl-transcript.js';
import { PlaybackController } from '../controllers/playback-controller.js';
import type { Charts } from '../charts/load.js';

@customElement('rl-replay')
export class RlReplay extends LitElement {
  private readonly playback = new PlaybackController(this, () => this.max, 900);
  static override styles = [base, legendStyles, css`
    :host { display: block; }
    .top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; padding: 8px 16px; background: var(--rl-surface); border-bottom: 1px solid var(--rl-line); min-height: 56px; }
    .title { flex: 1 1 16em; min-width: 0; }
    .title h1 { font-size: 1.1rem; }
    .title p { font-size: 0.8rem; }
    .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 10px; padding: 10px 16px; background: var(--rl-surface); border-bottom: 1px solid var(--rl-line); }
    .controls input[type="range"] { flex: 1 1 160px; min-width: 0; accent-color: var(--rl-accent); min-height: 24px; }
    .controls output { font-variant-numeric: tabular-nums; min-width: 7em; text-align: right; font-weight: 600; }
    .layout { display: grid; grid-template-columns: minmax(0, 1fr) 350px; gap: 12px; padding: 12px 16px 24px; align-items: start; }
    main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; min-width: 0; }
    aside { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; min-width: 0; }
    .actors { display: grid; grid-template-columns: repeat(var(--actors, 3), minmax(0, 1fr)); gap: 12px; }
    .charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; }
    .card.pad { padding: 10px 14px; }
    h3 { font-size: 0.95rem; margin-bottom: 4px; }
    .outcome { display: flex; gap: 10px; align-items: center; font-weight: 700; }
    .problem { max-width: 640px; margin: 48px auto; padding: 24px; display: grid; gap: 12px; }
    .takeaway { font-size: 0.9rem; }
    rl-chart { --rl-chart-height: 190px; }
    @media (max-width: 1100px) { .layout { grid-template-columns: minmax(0, 1fr); } }
    @media (max-width: 900px) { .charts { grid-template-columns: minmax(0, 1fr); } }
    @media (max-width: 820px) { .actors { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
    @media (max-width: 640px) { .actors { grid-template-columns: minmax(0, 1fr); } .layout { padding: 8px 8px 20px; } }
  `];

  /** The path segments after `replay/` and the query. */
  @property({ attribute: false }) segments: readonly string[] = [];
  @property({ attribute: false }) query: URLSearchParams = new URLSearchParams();

  @state() private lessonData: Lesson | null = null;
  private run: SharedRun | string = 'no run';
  private view: RunView | null = null;

  constructor() {
    super();
    new KeyboardController(this, () => ({
      ARROWLEFT: () => this.playback.go(this.playback.at - 1),
      ARROWRIGHT: () => this.playback.go(this.playback.at + 1),
      HOME: () => this.playback.go(0),
      END: () => this.playback.go(this.max),
      ' ': () => this.playback.toggle(),
    }));
  }

  private get max(): number { return this.view ? this.view.states.length - 1 : 0; }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('segments') || changed.has('query')) {
      this.run = parseShare(this.segments, this.query);
      if (typeof this.run !== 'string') {
        this.view = runView(this.run.scenario, this.run.actions);
        this.playback.at = Math.min(this.run.at ?? this.max, this.max);
        const id = this.run.lesson;
        if (id && this.lessonData?.id !== id) void loadLesson(id).then((r) => { if (r.ok) this.lessonData = r.data; });
      } else this.view = null;
    }
  }

  override render() {
    const run = this.run;
    const v = this.view;
    if (typeof run === 'string' || !v) {
      return html`<div class="problem card" role="alert"><h2>This link cannot be replayed</h2><p>${run}</p><p><a class="button primary" href="#/">Back to the first screen</a></p></div>`;
    }
    const s = v.states[this.playback.at]!;
    const programs = variantPrograms(run.scenario.variant);
    const choices = enabledActions(s);
    const actors = choices.map((c) => c.actor);
    const nextActor = this.playback.at < run.actions.length ? run.actions[this.playback.at]!.actor : null;
    const final = v.states.at(-1)!;
    const need = run.scenario.config.need[0] ?? 0;
    this.style.setProperty('--actors', String(actors.length));
    const lines = v.transcript.slice(0, this.playback.at);
    return html`
      <header class="top">
        <a href="#/" class="button quiet">← reaplab</a>
        <div class="title">
          <h1>Replay: ${this.lessonData?.title ?? programs.source.title}</h1>
          <p class="muted">${programs.source.title} · ${run.scenario.config.title} · ${count(run.actions.length, 'step')}</p>
        </div>
        ${final.needlessKill ? html`<span class="outcome chip">${OUTCOME_ICONS.needless_kill} needless kill</span>` : nothing}
        ${final.outcome ? html`<span class="outcome chip">${OUTCOME_ICONS[final.outcome.id]} ends in ${OUTCOME_NAMES[final.outcome.id]}</span>` : html`<span class="chip">run not finished</span>`}
      </header>
      <section class="controls" aria-label="Replay controls">
        <button @click=${() => this.playback.go(0)} ?disabled=${this.playback.at === 0} aria-keyshortcuts="Home" title="Back to the start (Home)"><span aria-hidden="true">|◀</span> Start</button>
        <button @click=${() => this.playback.go(this.playback.at - 1)} ?disabled=${this.playback.at === 0} aria-keyshortcuts="ArrowLeft" title="One step back (←)"><span aria-hidden="true">◀</span> Back</button>
        <button class="primary" @click=${() => this.playback.toggle()} aria-keyshortcuts="Space" title="Space">${this.playback.playing ? html`<span aria-hidden="true">❚❚</span> Pause` : html`<span aria-hidden="true">▶</span> Play`}</button>
        <button @click=${() => this.playback.go(this.playback.at + 1)} ?disabled=${this.playback.at >= this.max} aria-keyshortcuts="ArrowRight" title="One step on (→)">Next <span aria-hidden="true">▶</span></button>
        <button @click=${() => this.playback.go(this.max)} ?disabled=${this.playback.at >= this.max} aria-keyshortcuts="End" title="To the last step (End)">End <span aria-hidden="true">▶|</span></button>
        <input type="range" min="0" max=${this.max} .value=${String(this.playback.at)} aria-label="Step"
          @input=${(e: Event) => { this.playback.stop(); this.playback.go(Number((e.target as HTMLInputElement).value)); }} />
        <output aria-live="polite">step ${this.playback.at} of ${this.max}</output>
      </section>
      ${v.error ? html`<p class="card pad" role="alert">This run stops at step ${v.error.index + 1}: ${v.error.message}</p>` : nothing}
      <div class="layout">
        <main>
          <rl-state-view .state=${s}></rl-state-view>
          <div class="actors">
            ${choices.map((c) => html`<rl-actor-panel readonly .choice=${c} ?last=${c.actor === nextActor}
              .listing=${c.role === 'victim' ? programs.victim.listing : c.role === 'reaper' ? programs.reaper.listing : programs.allocator.listing}
              ?ended=${s.outcome !== null}></rl-actor-panel>`)}
          </div>
          <div class="charts">
            <section class="card pad"><h3>Memory over the steps</h3>
              <rl-chart label="Memory over the steps" .build=${(c: Charts, w: number) => c.memoryChart({ rows: v.memory, marks: v.marks, need, current: this.playback.at }, { width: w, height: 190 })}></rl-chart>${memoryLegend()}</section>
            <section class="card pad"><h3>The interleaving</h3>
              <rl-chart label="Swimlanes" scrollFraction=${this.max ? this.playback.at / this.max : 0} .build=${(c: Charts, w: number) => c.swimlanesChart({ actors, cells: v.lanes, outcome: final.outcome?.id ?? null, current: this.playback.at }, { width: c.swimlanesWidth(w, Math.max(v.lanes.length, 12)), height: 190, minSteps: 12 })}></rl-chart></section>
          </div>
        </main>
        <aside>
          <section class="card pad">
            <h3>${nextActor ? 'Next step' : 'End of the run'}</h3>
            <p>${nextActor ? html`The <b>${nextActor}</b> takes <code>${v.lanes[this.playback.at]?.label ?? ''}</code>. Press <kbd>→</kbd> or <b>Next</b>.` : final.outcome ? html`${OUTCOME_ICONS[final.outcome.id]} <b>${OUTCOME_NAMES[final.outcome.id]}</b>${final.outcome.detail ? `: ${final.outcome.detail}` : ''}` : final.needlessKill ? html`${OUTCOME_ICONS.needless_kill} <b>Needless kill</b>: the OOM killer killed another task while waiting for the victim would have been enough. The link stops here, before the run ends.` : 'The link stops here, before the run ends.'}</p>
            ${this.lessonData && !nextActor ? html`<p class="takeaway"><b>The lesson:</b> ${this.lessonData.takeaway}</p>` : nothing}
          </section>
          <rl-transcript .lines=${lines}></rl-transcript>
          <section class="card pad">
            <h3>Share</h3>
            <p class="muted">This page is the run: the link holds the scenario and every step. <a href=${shareHash({ ...run, at: this.playback.at })}>Link to this step</a>.</p>
          </section>
        </aside>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-replay': RlReplay }
}
