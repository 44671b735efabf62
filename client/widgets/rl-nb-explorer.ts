// An explorer cell: a question about a scenario ("what if the reaper retried only once?"),
// answered by exploring every interleaving in a Web Worker. It shows the outcome table
// with the shortest run to each outcome (replayable), and coverage: which reachable
// outcomes and which distinct final states the notebook's recorded runs of this scenario
// have found, against all that exist — per room in a class. The scenario is the only
// thing stored; results are recomputed by whoever looks. A question may scale the scenario
// (more allocators, other needs — one for all or a list, one each —, more bystanders):
// allocators of equal need are then explored one state per orbit (the symmetry reduction),
// and the cell says so; the game plays only the scalar changes, so a scaled question has
// no "Play" button.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { CONFIG_IDS, CONFIGS, LIMITS, OUTCOMES, VARIANT_IDS, VARIANTS, count, isConfigId, scaledActors, type Config, type OutcomeId, type Scenario } from '../../engine/index.js';
import type { CellView, TraceRecord } from '../../protocol/notebook/doc.js';
import type { ExplorerScenario } from '../../protocol/notebook/events.js';
import { actorName, OUTCOME_ICONS, OUTCOME_NAMES } from '../lib/labels.js';
import { shareHash } from '../lib/share.js';
import { base } from '../styles/shared.js';
import './rl-chart.js';
import { coverage, isPlayable, resolveScenario, symmetryLine, type CoverageReport, type ExplorerReport } from '../notebook/coverage.js';
import { explorerReport } from '../notebook/explorer-client.js';
import { needsText, parseNeeds } from '../notebook/needs.js';
import './rl-nb-text.js';
import type { RemoteCaret } from './rl-nb-text.js';
import { cellStyles } from '../notebook/styles.js';
import type { Charts } from '../charts/load.js';

type OverrideKey = keyof ExplorerScenario['overrides'];
const NUMBER_OVERRIDES: { key: Exclude<OverrideKey, 'mHeld' | 'need' | 'bystanders'>; label: string; title: string; min: number; max: number }[] = [
  { key: 'maxAttempts', label: 'reaper tries', title: 'MAX_OOM_REAP_RETRIES: how often the reaper tries before giving up', min: 1, max: 60 },
  { key: 'keepAbove', label: 'keep above', title: "the RFC's \"substantial memory left\" threshold", min: 0, max: 255 },
  { key: 'stallLimit', label: 'stall limit', title: "Tetsuo's no-progress limit", min: 0, max: 60 },
  { key: 'deadline', label: 'deadline', title: "David's per-mm deadline, in reaper sleeps", min: 0, max: 60 },
  { key: 'free', label: 'free pages', title: 'free pages at the start', min: 0, max: 255 },
  { key: 'pgtables', label: 'page tables', title: "pages of the victim's page tables", min: 0, max: 255 },
];

/** The explorer's answer and the notebook's coverage as Markdown (for the export). */
export function explorerResultsMarkdown(report: ExplorerReport, cov: CoverageReport): string {
  const sym = symmetryLine(report);
  const lines = [`${report.states} states, ${report.finals.length} distinct final states${report.complete ? '' : ' (search cut short)'}.`, ...(sym ? ['', sym] : []), '', '| outcome | reachable | shortest run | runs in this notebook |', '|---|---|---:|---:|'];
  for (const o of cov.outcomes) lines.push(`| ${OUTCOME_NAMES[o.id]} | ${o.reachable ? 'yes' : 'no'} | ${o.shortest ?? '—'} | ${o.runs} |`);
  const found = cov.outcomes.filter((o) => o.reachable && o.runs > 0).length;
  const reachable = cov.outcomes.filter((o) => o.reachable).length;
  lines.push('', `**Coverage:** ${found} of ${reachable} reachable outcomes and ${cov.finals.found} of ${cov.finals.total} distinct final states found by ${cov.matching} recorded run${cov.matching === 1 ? '' : 's'}.`);
  return lines.join('\n');
}

@customElement('rl-nb-explorer')
export class RlNbExplorer extends LitElement {
  static override styles = [base, cellStyles, css`
    form { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: end; margin: 6px 0; }
    /* a label never grows past the cell: its select shrinks to the cell instead (a long version title on a phone) */
    label { display: grid; grid-template-columns: minmax(0, auto); max-width: 100%; gap: 2px; font-size: 0.78rem; font-weight: 600; color: var(--rl-ink-2); }
    label.check { display: flex; align-items: center; gap: 6px; min-height: 34px; }
    select, input { min-height: 32px; padding: 3px 8px; font-size: 0.88rem; }
    select { max-width: 100%; }
    input[type="number"] { width: 5.2em; }
    .changed { border-color: var(--rl-accent); background: var(--rl-accent-soft); }
    .problem { color: var(--rl-danger); font-size: 0.9rem; }
    .summary { font-size: 0.88rem; color: var(--rl-ink-2); margin: 4px 0; }
    table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
    th, td { text-align: left; padding: 4px 6px; overflow-wrap: anywhere; border-bottom: 1px solid var(--rl-line); vertical-align: top; }
    th { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--rl-muted); }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .yes { font-weight: 700; }
    .found { color: var(--rl-success-text); font-weight: 700; }
    .missing { color: var(--rl-muted); }
    details summary { cursor: pointer; }
    ol.steps { margin: 4px 0; padding-left: 2em; font-size: 0.82rem; columns: 2; }
    .coverage { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr); gap: 14px; align-items: start; margin-top: 8px; }
    .headline { font-size: 1.05rem; font-weight: 700; }
    .headline .big { font-size: 1.4rem; }
    rl-chart { --rl-chart-height: 120px; }
    @media (max-width: 900px) { .coverage { grid-template-columns: minmax(0, 1fr); } }
    /* a phone's width holds the longest version title at a slightly smaller size */
    @media (max-width: 640px) { select { font-size: 0.8rem; padding: 3px 4px; } }
  `];

  @property({ attribute: false }) cell: Extract<CellView, { kind: 'explorer' }> | null = null;
  /** The notebook's recorded runs (every trace cell). */
  @property({ attribute: false }) traces: readonly TraceRecord[] = [];
  @property({ attribute: false }) carets: readonly RemoteCaret[] = [];
  @property({ type: Boolean }) canEdit = false;
  @state() private question: ExplorerScenario | null = null;
  @state() private report: ExplorerReport | null = null;
  @state() private problem = '';
  @state() private running = false;
  private asked = '';
  private observedMap: CellView['map'] | null = null;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('cell')) this.watch();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.cell && !this.observedMap) this.watch();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observedMap?.unobserve(this.onMap);
    this.observedMap = null;
  }

  private watch(): void {
    this.observedMap?.unobserve(this.onMap);
    this.observedMap = this.cell?.map ?? null;
    this.observedMap?.observe(this.onMap);
    this.onMap();
  }

  private readonly onMap = (): void => {
    const q = this.observedMap?.get('scenario') as ExplorerScenario | undefined;
    if (!q) return;
    this.question = q;
    void this.run(q);
  };

  private async run(q: ExplorerScenario): Promise<void> {
    const key = JSON.stringify(q);
    if (key === this.asked) return;
    this.asked = key;
    const sc = resolveScenario(q);
    if (typeof sc === 'string') {
      this.problem = `This scenario is not valid: ${sc}.`;
      this.report = null;
      return;
    }
    this.problem = '';
    this.running = true;
    const r = await explorerReport(sc);
    if (this.asked !== key) return;
    this.running = false;
    if (typeof r === 'string') this.problem = `The explorer could not answer: ${r}.`;
    else this.report = r;
  }

  /** Writes a changed question into the notebook (everyone sees it and re-explores). */
  private ask(patch: Partial<ExplorerScenario>, overrides?: ExplorerScenario['overrides']): void {
    const q = this.question;
    if (!q || !this.canEdit || !this.cell) return;
    const next: ExplorerScenario = { ...q, ...patch, overrides: overrides ?? q.overrides };
    const sc = resolveScenario(next);
    if (typeof sc === 'string') {
      this.problem = `Not changed: ${sc}.`;
      return;
    }
    this.cell.map.set('scenario', next);
  }

  private setOverride(key: OverrideKey, value: number | boolean | number[] | null, base: Config): void {
    const o = { ...(this.question?.overrides ?? {}) } as Record<string, unknown>;
    if (value === null || JSON.stringify(value) === JSON.stringify(base[key])) delete o[key];
    else o[key] = value;
    this.ask({}, o as ExplorerScenario['overrides']);
  }

  /** The needs as typed (needs.ts): one number for the `allocators` there are, or one each. */
  private setNeeds(text: string, allocators: number, base: Config): void {
    const need = parseNeeds(text, allocators);
    if (typeof need === 'string') {
      this.problem = `Not changed: ${need}.`;
      return;
    }
    this.setOverride('need', need, base);
  }

  /** Scales the allocators (how many: the needs repeat in order) or the bystanders (how many, their RSS from the base's). */
  private scale(what: { allocators?: number; bystanders?: number }, base: Config): void {
    const q = this.question;
    if (!q) return;
    const need = q.overrides.need ?? base.need;
    if (what.allocators !== undefined) {
      this.setOverride('need', scaledActors({ need, bystanders: [] }, what.allocators, 0).need, base);
    } else if (what.bystanders !== undefined) {
      this.setOverride('bystanders', scaledActors(base, 1, what.bystanders).bystanders, base);
    }
  }

  override render() {
    const c = this.cell;
    const q = this.question;
    if (!c || !q) return nothing;
    const baseConfig = typeof q.config === 'string' ? CONFIGS[q.config] : q.config;
    const custom = typeof q.config !== 'string';
    const dis = !this.canEdit;
    return html`
      <rl-nb-text .ytext=${c.notes} .carets=${this.carets} ?readonly=${!this.canEdit} cell=${c.id} field="notes" label="The question"
        placeholder=${this.canEdit ? 'Ask a question, e.g. "What if the reaper retried only once?"' : ''}></rl-nb-text>
      <form @submit=${(e: Event) => e.preventDefault()} aria-label="Scenario to explore">
        <label>Version or patch
          <select class="variant" ?disabled=${dis} @change=${(e: Event) => this.ask({ variant: (e.target as HTMLSelectElement).value as ExplorerScenario['variant'] })}>
            ${VARIANT_IDS.map((v) => html`<option value=${v} ?selected=${v === q.variant}>${VARIANTS[v].title}</option>`)}
          </select></label>
        <label>Memory layout
          <select ?disabled=${dis} @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; if (isConfigId(v)) this.ask({ config: v }); }}>
            ${custom ? html`<option selected value="">${baseConfig.id} (this lesson's)</option>` : nothing}
            ${CONFIG_IDS.map((id) => html`<option value=${id} ?selected=${!custom && id === q.config} title=${CONFIGS[id].title}>${id}</option>`)}
          </select></label>
        ${NUMBER_OVERRIDES.map((f) => {
          const v = q.overrides[f.key] ?? baseConfig[f.key];
          return html`<label title=${f.title}>${f.label}
            <input type="number" min=${f.min} max=${f.max} .value=${String(v)} ?disabled=${dis} class=${q.overrides[f.key] !== undefined ? 'changed' : ''}
              @change=${(e: Event) => { const n = Number((e.target as HTMLInputElement).value); if (Number.isInteger(n)) this.setOverride(f.key, n, baseConfig); }} /></label>`;
        })}
        ${this.renderScale(q, baseConfig, dis)}
        <label class="check" title="The first allocator holds the mutex M from the start"><input type="checkbox" .checked=${q.overrides.mHeld ?? baseConfig.mHeld} ?disabled=${dis}
          @change=${(e: Event) => this.setOverride('mHeld', (e.target as HTMLInputElement).checked, baseConfig)} /> mutex M held</label>
        ${Object.keys(q.overrides).length && this.canEdit ? html`<button class="small" type="button" @click=${() => this.ask({}, {})}>Undo the changes</button>` : nothing}
      </form>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.running && !this.report ? html`<p class="summary" aria-live="polite">Exploring every interleaving…</p>` : nothing}
      ${this.report ? this.renderReport(this.report) : nothing}`;
  }

  private renderScale(q: ExplorerScenario, baseConfig: Config, dis: boolean) {
    const need = q.overrides.need ?? baseConfig.need;
    const bystanders = q.overrides.bystanders ?? baseConfig.bystanders;
    const uniform = need.every((n) => n === need[0]);
    const int = (e: Event) => { const n = Number((e.target as HTMLInputElement).value); return Number.isInteger(n) ? n : null; };
    return html`<label title="How many allocators (1 to ${LIMITS.allocators}); those of equal need are interchangeable">allocators
        <input class=${`allocators${q.overrides.need !== undefined ? ' changed' : ''}`} type="number" min="1" max=${LIMITS.allocators} .value=${String(need.length)} ?disabled=${dis}
          @change=${(e: Event) => { const n = int(e); if (n !== null) this.scale({ allocators: n }, baseConfig); }} /></label>
      <label title=${`Pages each allocator asks for, in order: one number sets them all, a list (e.g. 2, 2, 3) one each${uniform ? '' : ` (now ${needsText(need)})`}; allocators of equal need are interchangeable`}>needs
        <input class=${`need${q.overrides.need !== undefined ? ' changed' : ''}`} type="text" inputmode="numeric" size="8" spellcheck="false" .value=${uniform ? String(need[0] ?? 1) : needsText(need)} ?disabled=${dis}
          @change=${(e: Event) => this.setNeeds((e.target as HTMLInputElement).value, need.length, baseConfig)} /></label>
      <label title="Bystander tasks W1…Wk (0 to ${LIMITS.bystanders}), killed in order after the victim; their RSS repeats the layout's">bystanders
        <input class=${`bystanders${q.overrides.bystanders !== undefined ? ' changed' : ''}`} type="number" min="0" max=${LIMITS.bystanders} .value=${String(bystanders.length)} ?disabled=${dis}
          @change=${(e: Event) => { const n = int(e); if (n !== null) this.scale({ bystanders: n }, baseConfig); }} /></label>`;
  }

  private renderReport(r: ExplorerReport) {
    const cov = coverage(r, this.traces);
    const reachable = cov.outcomes.filter((o) => o.reachable);
    const foundOutcomes = reachable.filter((o) => o.runs > 0).length;
    const q = this.question!;
    const playable = this.canEdit && isPlayable(q);
    const sym = symmetryLine(r);
    return html`
      <p class="summary" aria-live="polite">${this.running ? 'Exploring… ' : ''}${r.states.toLocaleString()} states, ${r.finals.length} distinct final states, explored in ${Math.max(1, Math.round(r.ms))} ms${r.complete ? '' : ' — cut short by the budget: the counts are a lower bound'}.</p>
      ${sym ? html`<p class="summary symmetry">${sym}</p>` : nothing}
      <table>
        <thead><tr><th>outcome</th><th>reachable?</th><th>shortest run</th><th>runs here</th></tr></thead>
        <tbody>${OUTCOMES.map((o) => this.outcomeRow(o, r, cov, q))}</tbody>
      </table>
      <div class="coverage">
        <div>
          <p class="label">Coverage</p>
          <p class="headline"><span class="big">${foundOutcomes}</span> of ${reachable.length} reachable outcomes found</p>
          <p class="headline"><span class="big">${cov.finals.found}</span> of ${cov.finals.total} distinct final states found${r.symmetry ? ' (up to symmetry)' : ''}</p>
          <p class="summary">${cov.matching === 0
            ? (cov.runs === 0 ? 'No runs are recorded in this notebook yet: play one, and it appears here.' : `None of the ${cov.runs} recorded runs played this exact scenario.`)
            : `From ${cov.matching} recorded run${cov.matching === 1 ? '' : 's'} of this scenario${cov.runs > cov.matching ? ` (${cov.runs - cov.matching} others played another scenario)` : ''}.`}</p>
          ${!playable && this.canEdit && typeof q.config === 'string' ? html`<p class="summary">The game plays the reference number of allocators and bystanders: this scaled scenario is for the explorer only.</p>` : nothing}
          ${playable ? html`<button class="small" @click=${() => this.dispatchEvent(new CustomEvent('rl-nb-play', { detail: { scenario: { variant: q.variant, config: q.config, overrides: q.overrides } }, bubbles: true, composed: true }))}>▶ Play this scenario into the notebook</button>` : nothing}
        </div>
        <div>
          <rl-chart label="Distinct final states found per outcome" .build=${(c: Charts, w: number) => c.coverageChart({ byOutcome: cov.finals.byOutcome }, { width: w })}></rl-chart>
          <p class="summary">Each bar: the distinct final states where a run of this outcome can end. Filled: reached by a recorded run.</p>
        </div>
      </div>
      ${cov.byRoom.length > 1 ? html`<p class="label">By room</p>
        <table><thead><tr><th>room</th><th>runs</th><th>outcomes found</th><th>final states</th></tr></thead>
        <tbody>${cov.byRoom.map((b) => html`<tr><td class="mono">${b.room}</td><td class="num">${b.runs}</td>
          <td>${b.outcomes.map((o) => html`<span class="chip" title=${OUTCOME_NAMES[o]}>${OUTCOME_ICONS[o]} ${OUTCOME_NAMES[o]}</span> `)}</td><td class="num">${b.finals}</td></tr>`)}</tbody></table>` : nothing}`;
  }

  private outcomeRow(o: OutcomeId, r: ExplorerReport, cov: CoverageReport, q: ExplorerScenario) {
    const reach = r.outcomes[o];
    const c = cov.outcomes.find((x) => x.id === o)!;
    const scenario: Scenario = r.scenario;
    return html`<tr>
      <td>${OUTCOME_ICONS[o]} ${OUTCOME_NAMES[o]}</td>
      <td class=${reach.reachable ? 'yes' : 'missing'}>${reach.reachable ? 'yes' : 'no'}</td>
      <td>${reach.reachable ? html`<details><summary>${count(reach.steps, 'step')}</summary>
          <ol class="steps">${reach.trace.map((a) => html`<li>${actorName(a.actor)}: <code>${a.step}</code></li>`)}</ol>
          <a href=${shareHash({ scenario, actions: reach.trace })}>Replay this run</a></details>` : html`<span class="missing">—</span>`}</td>
      <td>${!reach.reachable ? html`<span class="missing">—</span>` : c.runs > 0 ? html`<span class="found">✓ ${c.runs}</span>` : html`<span class="missing">not yet</span>`}</td>
    </tr>${q ? nothing : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-nb-explorer': RlNbExplorer }
}
