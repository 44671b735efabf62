// The shared state as a picture: the victim's VMAs as blocks, its page tables, mmap_sem
// with its readers and writer, the mm flags, the tasks, the mutex M and a memory bar.
// Every visual cue is doubled in words for projectors, colour-blind readers and screen
// readers. Widths are set through the CSSOM (cssom()), which the CSP allows.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cssom } from '../lib/cssom.js';
import { STATE_TERMS } from '../lib/glossary-text.js';
import './rl-glossary-term.js';
import { count, enabledActions, type State } from '../../engine/index.js';
import { MEMORY_NAMES, MEMORY_PARTS } from '../lib/labels.js';
import { memoryParts } from '../lib/model.js';
import { base } from '../styles/shared.js';

const KIND_NAMES: Record<string, string> = { anon: 'anonymous', file: 'private file', shared: 'shared file', hugetlb: 'hugetlb', pfnmap: 'PFN map' };
const KIND_SHORT: Record<string, string> = { anon: 'anon', file: 'file', shared: 'shared', hugetlb: 'hugetlb', pfnmap: 'pfnmap' };

@customElement('rl-state-view')
export class RlStateView extends LitElement {
  static override styles = [base, css`
    /* sized by its own width, not the screen's: it also sits in half-width side-by-side replays */
    :host { display: block; container-type: inline-size; }
    .wrap { padding: 8px 14px 10px; display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr) minmax(0, 0.95fr); gap: 6px 18px; }
    h3 { font-size: 0.9rem; margin-bottom: 4px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    .row { display: flex; flex-wrap: nowrap; gap: 6px; align-items: stretch; overflow-x: auto; padding-bottom: 2px; }
    .vma, .pt { flex: none; min-width: 96px; min-height: 74px; border: 2px solid var(--rl-victim); border-radius: 6px; padding: 3px 5px; background: var(--rl-victim-soft); font-size: 0.7rem; display: flex; flex-direction: column; gap: 2px; }
    .vma .kind, .pt .kind { font-weight: 700; white-space: nowrap; }
    .vma.removed { border-style: dashed; background: var(--rl-removed-soft); border-color: var(--rl-line-strong); color: var(--rl-muted); }
    .vma.unlinked { border-style: dotted; }
    .pt { border-color: var(--rl-page-table); background: var(--rl-page-table-soft); }
    .pt.freed { border-style: dashed; color: var(--rl-muted); background: var(--rl-bg); }
    .pages { display: flex; flex-wrap: wrap; gap: 2px; min-height: 11px; }
    .page { width: 10px; height: 10px; border-radius: 2px; background: var(--rl-victim); }
    .page.gone { background: transparent; border: 1px dashed var(--rl-line-strong); }
    .pt .page { background: var(--rl-page-table); }
    .tags { display: flex; flex-wrap: wrap; gap: 2px; }
    .tag { font-size: 0.64rem; font-weight: 700; padding: 0 3px; border-radius: 3px; background: var(--rl-surface); border: 1px solid currentColor; white-space: nowrap; }
    .tag.warn { color: var(--rl-danger); }
    .col { display: grid; gap: 5px; align-content: start; font-size: 0.82rem; }
    .line { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
    .line.task > b { min-width: 1.6em; }
    .line > b { min-width: 5.2em; color: var(--rl-ink-2); font-size: 0.8rem; }
    .flags { display: grid; grid-template-columns: 1fr 1fr; gap: 4px; }
    .flag { font-family: var(--rl-mono); font-size: 0.68rem; padding: 1px 5px; border-radius: 4px; border: 1px solid var(--rl-line-strong); color: var(--rl-muted); background: var(--rl-surface); white-space: nowrap; }
    .flag.on { background: var(--rl-ink); color: var(--rl-on-dark); border-color: var(--rl-ink); }
    .flag.on::before { content: '● '; }
    .flag:not(.on)::before { content: '○ '; }
    .sem.write { background: var(--rl-danger-soft); border-color: var(--rl-danger); color: var(--rl-danger); }
    .sem.read { background: var(--rl-read-soft); border-color: var(--rl-read-edge); color: var(--rl-read-ink); }
    .chip { font-size: 0.76rem; }
    .memory { grid-column: 1 / -1; display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 4px 12px; align-items: center; }
    .memory h3 { margin: 0; }
    .bar { display: flex; height: 24px; border-radius: 5px; overflow: hidden; border: 1px solid var(--rl-ink); position: relative; background: var(--rl-surface-2); }
    .seg { display: flex; align-items: center; justify-content: center; font-weight: 700; font-size: 0.8rem; min-width: 0; overflow: hidden; transition: width 0.25s ease; }
    .free { background: var(--rl-mem-free); }
    .victim { background: var(--rl-mem-victim); }
    .bystanders { background: var(--rl-mem-bystander); }
    .allocated { background: var(--rl-mem-allocated); }
    .seg.free { color: var(--rl-mem-free-ink); }
    .seg.victim { color: var(--rl-mem-victim-ink); }
    .seg.bystanders { color: var(--rl-mem-bystander-ink); }
    .seg.allocated { color: var(--rl-mem-allocated-ink); }
    .need { position: absolute; top: -3px; bottom: -3px; width: 0; border-left: 3px dashed var(--rl-ink); }
    .legend { grid-column: 2; display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 0.78rem; }
    .sw { display: inline-block; width: 11px; height: 11px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; border: 1px solid rgba(0,0,0,0.3); }
    .sw.need { position: static; border: 0; border-left: 3px dashed var(--rl-ink); width: 0; height: 12px; border-radius: 0; margin: 0 6px 0 4px; }
    @media (prefers-reduced-motion: reduce) { .seg { transition: none; } }
    /* Narrow boxes: the blocks wrap instead of hiding behind a scroll, the columns stack. */
    @container (max-width: 1040px) { .row { flex-wrap: wrap; overflow-x: visible; } }
    @container (max-width: 760px) { .wrap { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } .memory { grid-column: 1 / -1; } }
    @container (max-width: 560px) { .wrap { grid-template-columns: minmax(0, 1fr); padding: 8px 10px; } .memory { grid-template-columns: minmax(0, 1fr); } .legend { grid-column: 1; } }
  `];

  @property({ attribute: false }) state: State | null = null;

  override render() {
    const s = this.state;
    if (!s) return nothing;
    const cfg = s.scenario.config;
    return html`<div class="wrap card" role="group" aria-label="Shared state"><h2 class="sr-only">The shared state</h2>
      ${this.memory(s)}
      <div class="col">
        <h3>Victim's memory ${s.mmapNull ? html`<span class="flag on">mm->mmap == NULL</span>` : nothing}</h3>
        <div class="row">
          ${s.vmas.map((v, i) => {
            const spec = cfg.vmas[i]!;
            const words = [`VMA ${i}`, KIND_NAMES[spec.kind] ?? spec.kind, `${v.mapped} of ${count(spec.pages, 'page')} mapped`,
              v.locked ? 'VM_LOCKED' : '', v.removed ? 'removed' : v.unlinked ? 'unlinked' : '', spec.close === 'M' ? 'close takes M' : ''].filter(Boolean).join(', ');
            return html`<div class="vma ${v.removed ? 'removed' : ''} ${v.unlinked ? 'unlinked' : ''}" role="img" aria-label=${words} title=${words}>
              <span class="kind">VMA ${i} ${KIND_SHORT[spec.kind] ?? spec.kind}</span>
              <span class="pages">${Array.from({ length: spec.pages }, (_, k) => html`<span class="page ${k < v.mapped ? '' : 'gone'}"></span>`)}</span>
              <span>${v.mapped}/${count(spec.pages, 'page')}</span>
              <span class="tags">
                ${v.locked ? html`<span class="tag">VM_LOCKED</span>` : nothing}
                ${v.munlocking ? html`<span class="tag">munlocking</span>` : nothing}
                ${v.zappedWhileMunlocking ? html`<span class="tag warn">zapped mid-munlock</span>` : nothing}
                ${spec.close === 'M' ? html`<span class="tag">close → M</span>` : nothing}
                ${v.removed ? html`<span class="tag">removed</span>` : v.unlinked ? html`<span class="tag">unlinked</span>` : nothing}
              </span>
            </div>`;
          })}
          <div class="pt ${s.pgtablesFreed ? 'freed' : ''}" role="img" aria-label="page tables: ${s.pgtablesFreed ? 'freed' : `${count(s.pgtables, 'page')}`}">
            <span class="kind">pgtables</span>
            <span class="pages">${Array.from({ length: cfg.pgtables }, (_, k) => html`<span class="page ${k < s.pgtables ? '' : 'gone'}"></span>`)}</span>
            <span>${s.pgtablesFreed ? 'freed' : count(s.pgtables, 'page')}</span>
          </div>
        </div>
      </div>
      <div class="col">
        <div class="line"><b>${term('mmap_sem')}</b>${this.sem(s)}</div>
        <div class="flags" role="group" aria-label="mm flags">
          ${this.flag('MMF_OOM_VICTIM', s.flags.victim)}
          ${this.flag('MMF_UNSTABLE', s.flags.unstable)}
          ${this.flag('MMF_OOM_SKIP', s.flags.oomSkip)}
          ${this.flag('mm->mmap == NULL', s.mmapNull)}
        </div>
        ${cfg.vmas.some((v) => v.close === 'M') || cfg.mHeld ? html`<div class="line"><b>mutex M</b><span class="chip">${s.mHolder === 'allocator' ? 'held by the allocator' : 'free'}</span></div>` : nothing}
      </div>
      <div class="col">
        <div class="line task"><b title="the victim task">V</b><span class="chip">victim: ${this.victimStatus(s)}</span></div>
        ${s.tasks.slice(1).map((t, i) => html`<div class="line task"><b title="a bystander task">W${i + 1}</b><span class="chip">bystander: ${t === 'alive' ? `alive, ${count(cfg.bystanders[i]!, 'page')}` : 'killed'}</span></div>`)}
        <div class="line"><b>${term('oom_reaper')}</b><span class="chip">${s.reaper.queued ? `victim queued · try ${s.reaper.attempts}/${cfg.maxAttempts}` : 'list empty'}</span></div>
      </div>
    </div>`;
  }

  private victimStatus(s: State): string {
    if (s.tasks[0] === 'alive') return 'running';
    const v = enabledActions(s).find((c) => c.actor === 'victim');
    return v && v.step === '' ? 'zombie (exit done)' : 'killed, exiting';
  }

  private sem(s: State) {
    if (s.sem.writer) return html`<span class="flag on sem write">write-locked by the victim</span>`;
    if (s.sem.readers > 0) {
      const who = [s.reaper.holdsRead ? 'the reaper' : '', s.victim.holdsRead ? 'the victim' : ''].filter(Boolean).join(' and ');
      return html`<span class="flag on sem read">read-locked by ${who || `${s.sem.readers} reader(s)`}</span>`;
    }
    return html`<span class="flag">unlocked</span>`;
  }

  private flag(name: string, on: boolean) {
    return html`<span class="flag ${on ? 'on' : ''}" aria-label="${name} ${on ? 'set' : 'clear'}">${term(name)}</span>`;
  }

  private memory(s: State) {
    const parts = memoryParts(s);
    const total = MEMORY_PARTS.reduce((n, p) => n + parts[p], 0) || 1;
    const need = s.scenario.config.need[0] ?? 0;
    const summary = MEMORY_PARTS.map((p) => `${parts[p]} ${MEMORY_NAMES[p]}`).join(', ');
    return html`<div class="memory">
      <h3>Memory</h3>
      <div class="bar" role="img" aria-label="Memory: ${summary}. The allocator needs ${need}.">
        ${MEMORY_PARTS.map((p) => html`<span class="seg ${p}" title="${count(parts[p], 'page')} ${MEMORY_NAMES[p]}"
          ${cssom({ width: `${(100 * parts[p]) / total}%` })}>${parts[p] > 0 ? parts[p] : ''}</span>`)}
        <span class="need" title="need: ${count(need, 'page')}" ${cssom({ left: `${(100 * Math.min(need, total)) / total}%` })}></span>
      </div>
      <div class="legend">
        ${MEMORY_PARTS.map((p) => html`<span><span class="sw ${p}"></span>${MEMORY_NAMES[p]}: <b>${parts[p]}</b></span>`)}
        <span><span class="sw need"></span>the allocator needs <b>${need}</b> free of ${total}</span>
      </div>
    </div>`;
  }
}

/** A state label that names a glossary term opens its definition. */
function term(label: string) {
  const id = STATE_TERMS[label];
  return id ? html`<rl-glossary-term term=${id}>${label}</rl-glossary-term>` : label;
}

declare global {
  interface HTMLElementTagNameMap { 'rl-state-view': RlStateView }
}
