// The shared state as a picture: the victim's VMAs as blocks, its page tables, mmap_sem
// with its readers and writer, the mm flags, the tasks, the mutex M and a memory bar.
// Every visual cue is doubled in words for projectors, colour-blind readers and screen
// readers. Widths use styleMap (CSSOM), which the CSP allows.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { enabledActions, type State } from '../../engine/index.js';
import { MEMORY_COLORS, MEMORY_NAMES, MEMORY_PARTS } from '../lib/labels.js';
import { memoryParts } from '../lib/model.js';
import { base } from '../styles/shared.js';

const KIND_NAMES: Record<string, string> = { anon: 'anonymous', file: 'private file', shared: 'shared file', hugetlb: 'hugetlb', pfnmap: 'PFN map' };

@customElement('rl-state-view')
export class RlStateView extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .wrap { padding: 10px 14px 12px; display: grid; grid-template-columns: minmax(0, 1.5fr) minmax(0, 1fr); gap: 10px 20px; }
    h3 { font-size: 0.95rem; margin-bottom: 6px; }
    .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: stretch; }
    .vma, .pt { width: 122px; min-height: 86px; border: 2px solid var(--rl-victim); border-radius: 6px; padding: 4px 6px; background: #e8f2fa; font-size: 0.78rem; display: flex; flex-direction: column; gap: 3px; }
    .vma .kind { font-weight: 700; }
    .vma.removed { border-style: dashed; background: repeating-linear-gradient(135deg, #f4f5f7 0 6px, #e3e6ea 6px 12px); border-color: var(--rl-line-strong); color: var(--rl-muted); }
    .vma.unlinked { border-style: dotted; }
    .pt { border-color: #45617a; background: #eef2f6; }
    .pt.freed { border-style: dashed; color: var(--rl-muted); background: #f4f5f7; }
    .pages { display: flex; flex-wrap: wrap; gap: 2px; min-height: 12px; }
    .page { width: 11px; height: 11px; border-radius: 2px; background: var(--rl-victim); }
    .page.gone { background: transparent; border: 1px dashed var(--rl-line-strong); }
    .pt .page { background: #45617a; }
    .tags { display: flex; flex-wrap: wrap; gap: 3px; }
    .tag { font-size: 0.68rem; font-weight: 700; padding: 0 4px; border-radius: 3px; background: white; border: 1px solid currentColor; }
    .tag.warn { color: var(--rl-danger); }
    .side { display: grid; grid-template-columns: auto 1fr; gap: 4px 10px; align-items: center; font-size: 0.85rem; align-content: start; }
    .side dt { font-weight: 600; color: var(--rl-ink-2); }
    .side dd { margin: 0; display: flex; flex-wrap: wrap; gap: 4px; }
    .flag { font-family: var(--rl-mono); font-size: 0.74rem; padding: 1px 6px; border-radius: 4px; border: 1px solid var(--rl-line-strong); color: var(--rl-muted); background: var(--rl-surface); }
    .flag.on { background: var(--rl-ink); color: white; border-color: var(--rl-ink); }
    .flag.on::before { content: '● '; }
    .flag:not(.on)::before { content: '○ '; }
    .sem.write { background: #fde2e1; border-color: var(--rl-danger); color: var(--rl-danger); }
    .sem.read { background: #e6f4ea; border-color: #1e7b3a; color: #1e6a33; }
    .memory { grid-column: 1 / -1; }
    .bar { display: flex; height: 28px; border-radius: 6px; overflow: hidden; border: 1px solid var(--rl-ink); position: relative; background: var(--rl-surface-2); }
    .seg { display: flex; align-items: center; justify-content: center; color: white; font-weight: 700; font-size: 0.8rem; min-width: 0; overflow: hidden; transition: width 0.25s ease; }
    .seg.free { color: #0b2a3d; }
    .seg.allocated { color: #3d2a00; }
    .need { position: absolute; top: -4px; bottom: -4px; width: 0; border-left: 3px dashed var(--rl-accent); }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 6px; font-size: 0.8rem; }
    .sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; border: 1px solid rgba(0,0,0,0.3); }
    @media (prefers-reduced-motion: reduce) { .seg { transition: none; } }
  `];

  @property({ attribute: false }) state: State | null = null;

  override render() {
    const s = this.state;
    if (!s) return nothing;
    const cfg = s.scenario.config;
    return html`<div class="wrap card" role="group" aria-label="Shared state">
      <div>
        <h3>Victim's memory map ${s.mmapNull ? html`<span class="flag on">mm->mmap == NULL</span>` : nothing}</h3>
        <div class="row">
          ${s.vmas.map((v, i) => {
            const spec = cfg.vmas[i]!;
            const words = [`VMA ${i}`, KIND_NAMES[spec.kind] ?? spec.kind, `${v.mapped} of ${spec.pages} pages mapped`,
              v.locked ? 'VM_LOCKED' : '', v.removed ? 'removed' : v.unlinked ? 'unlinked' : '', spec.close === 'M' ? 'close takes M' : ''].filter(Boolean).join(', ');
            return html`<div class="vma ${v.removed ? 'removed' : ''} ${v.unlinked ? 'unlinked' : ''}" role="img" aria-label=${words} title=${words}>
              <span class="kind">VMA ${i} · ${KIND_NAMES[spec.kind] ?? spec.kind}</span>
              <span class="pages">${Array.from({ length: spec.pages }, (_, k) => html`<span class="page ${k < v.mapped ? '' : 'gone'}"></span>`)}</span>
              <span>${v.mapped}/${spec.pages} pages</span>
              <span class="tags">
                ${v.locked ? html`<span class="tag">VM_LOCKED</span>` : nothing}
                ${v.munlocking ? html`<span class="tag">munlocking</span>` : nothing}
                ${v.zappedWhileMunlocking ? html`<span class="tag warn">zapped mid-munlock</span>` : nothing}
                ${spec.close === 'M' ? html`<span class="tag">close → M</span>` : nothing}
                ${v.removed ? html`<span class="tag">removed</span>` : v.unlinked ? html`<span class="tag">unlinked</span>` : nothing}
              </span>
            </div>`;
          })}
          <div class="pt ${s.pgtablesFreed ? 'freed' : ''}" role="img" aria-label="page tables: ${s.pgtablesFreed ? 'freed' : `${s.pgtables} pages`}">
            <span class="kind"><b>page tables</b></span>
            <span class="pages">${Array.from({ length: cfg.pgtables }, (_, k) => html`<span class="page ${k < s.pgtables ? '' : 'gone'}"></span>`)}</span>
            <span>${s.pgtablesFreed ? 'freed' : `${s.pgtables} pages`}</span>
          </div>
        </div>
      </div>
      <dl class="side">
        <dt>mmap_sem</dt>
        <dd>${this.sem(s)}</dd>
        <dt>mm flags</dt>
        <dd>
          ${this.flag('MMF_OOM_VICTIM', s.flags.victim)}
          ${this.flag('MMF_UNSTABLE', s.flags.unstable)}
          ${this.flag('MMF_OOM_SKIP', s.flags.oomSkip)}
          ${this.flag('mm->mmap == NULL', s.mmapNull)}
        </dd>
        <dt>tasks</dt>
        <dd>
          <span class="chip" title="the victim task">V: ${this.victimStatus(s)}</span>
          ${s.tasks.slice(1).map((t, i) => html`<span class="chip" title="bystander W${i + 1}, ${cfg.bystanders[i]} pages">W${i + 1}: ${t === 'alive' ? `running (${cfg.bystanders[i]} pages)` : 'killed'}</span>`)}
        </dd>
        <dt>oom_reaper</dt>
        <dd><span class="chip">${s.reaper.queued ? `victim queued · attempt ${s.reaper.attempts} of ${cfg.maxAttempts}` : 'list empty'}</span></dd>
        ${cfg.vmas.some((v) => v.close === 'M') || cfg.mHeld ? html`<dt>mutex M</dt><dd><span class="chip">${s.mHolder === 'allocator' ? 'held by the allocator' : 'free'}</span></dd>` : nothing}
      </dl>
      ${this.memory(s)}
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
    return html`<span class="flag ${on ? 'on' : ''}" aria-label="${name} ${on ? 'set' : 'clear'}">${name}</span>`;
  }

  private memory(s: State) {
    const parts = memoryParts(s);
    const total = MEMORY_PARTS.reduce((n, p) => n + parts[p], 0) || 1;
    const need = s.scenario.config.need[0] ?? 0;
    const summary = MEMORY_PARTS.map((p) => `${parts[p]} ${MEMORY_NAMES[p]}`).join(', ');
    return html`<div class="memory">
      <h3>Memory: ${total} pages · the allocator needs ${need} free</h3>
      <div class="bar" role="img" aria-label="Memory: ${summary}. The allocator needs ${need}.">
        ${MEMORY_PARTS.map((p) => html`<span class="seg ${p}" title="${parts[p]} pages ${MEMORY_NAMES[p]}"
          style=${styleMap({ width: `${(100 * parts[p]) / total}%`, background: MEMORY_COLORS[p] })}>${parts[p] > 0 ? parts[p] : ''}</span>`)}
        <span class="need" title="need: ${need} pages" style=${styleMap({ left: `${(100 * Math.min(need, total)) / total}%` })}></span>
      </div>
      <div class="legend">
        ${MEMORY_PARTS.map((p) => html`<span><span class="sw" style=${styleMap({ background: MEMORY_COLORS[p] })}></span>${MEMORY_NAMES[p]}: <b>${parts[p]}</b></span>`)}
        <span><span class="sw" style=${styleMap({ background: 'transparent', borderLeft: '3px dashed var(--rl-accent)' })}></span>need ${need}</span>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-state-view': RlStateView }
}
