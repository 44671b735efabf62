// The notebook page (#/notebook/<id>[?cell=<cell id>]): a shared, live lab record. The
// title, who is here (names, colours, and which cell each person is in), whether every
// change is saved, then the cells — notes, lessons, recorded runs, explorer questions —
// each with a permalink. Editors add cells, play runs into the notebook, export it to
// Markdown or JSON and import JSON; the host decides who may edit and can lock it. The
// NotebookController owns the document and the connection; this element draws it.
import '../lib/zod-config.js';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { CONFIGS, count, makeScenario, isScenarioError, type Config, type Scenario } from '../../engine/index.js';
import type { LessonListItem } from '../../protocol/events.js';
import {
  cellIndex, cellsOf, explorerScenarioOf, insertCell, lessonRecord, type CellCreated, type CellView, type TraceRecord,
} from '../../protocol/notebook/doc.js';
import type { ExplorerScenario, NotebookPlayPayload } from '../../protocol/notebook/events.js';
import { NOTEBOOK_ID_RE } from '../../protocol/notebook/events.js';
import { importCells, parseExport, toJSON, toMarkdown, type ExportLinks } from '../../protocol/notebook/export.js';
import { toIpynb } from '../../protocol/notebook/ipynb.js';
import { navigate } from '../controllers/route-controller.js';
import { shareHash } from '../lib/share.js';
import { lesson as loadLesson, lessonList, savedName, saveName } from '../lib/api.js';
import { rememberNotebook } from '../lib/mine.js';
import { OUTCOME_ICONS, OUTCOME_NAMES } from '../lib/labels.js';
import { cssom } from '../lib/cssom.js';
import { base } from '../styles/shared.js';
import { NotebookController, type Person } from '../notebook/controller.js';
import { coverage, resolveScenario } from '../notebook/coverage.js';
import { explorerReport } from '../notebook/explorer-client.js';
import { credentialFor, rememberRoomSeat } from '../notebook/identity.js';
import '../widgets/rl-nb-explorer.js';
import { explorerResultsMarkdown } from '../widgets/rl-nb-explorer.js';
import '../widgets/rl-nb-lesson.js';
import '../widgets/rl-nb-markdown.js';
import type { RlNbMarkdown } from '../widgets/rl-nb-markdown.js';
import '../widgets/rl-nb-text.js';
import type { RemoteCaret } from '../widgets/rl-nb-text.js';
import '../widgets/rl-nb-trace.js';
import type { RlNbTrace } from '../widgets/rl-nb-trace.js';
import { toast } from '../lib/toast.js';

const KIND_LABELS: Record<CellView['kind'], { icon: string; name: string }> = {
  markdown: { icon: '✎', name: 'Note' },
  lesson: { icon: '§', name: 'Lesson' },
  trace: { icon: '▶', name: 'Recorded run' },
  explorer: { icon: '⌕', name: 'Explorer' },
};

const STATUS_TEXT: Record<string, string> = {
  connecting: 'Connecting…',
  joining: 'Opening…',
  syncing: 'Loading…',
  offline: 'Offline — your edits are kept in this browser and sent when you reconnect',
  failed: 'Could not open',
};


function newNotebookId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `nb-${[...bytes].map((b) => 'abcdefghijkmnpqrstuvwxyz23456789'[b % 32]).join('')}`;
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

@customElement('rl-notebook')
export class RlNotebook extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .top { display: flex; align-items: center; gap: 10px; padding: 6px 16px; background: var(--rl-surface); border-bottom: 1px solid var(--rl-line); min-height: 54px; flex-wrap: wrap; }
    .top .button, .top button { min-height: 32px; padding: 4px 10px; font-size: 0.9rem; }
    .title { flex: 1; min-width: 220px; --rl-nb-text-size: 1.15rem; font-weight: 700; }
    .title h1 { font-size: 1.15rem; padding: 8px 10px; }
    .kind { font-family: var(--rl-mono); }
    .status { font-size: 0.82rem; color: var(--rl-muted); max-width: 22em; }
    .status.bad { color: var(--rl-danger); font-weight: 600; }
    .status.ok::before { content: '✓ '; color: var(--rl-success); }
    .people { display: flex; gap: 4px; align-items: center; }
    .avatar { width: 30px; height: 30px; border-radius: 50%; display: grid; place-items: center; color: var(--rl-on-dark); font-weight: 700; font-size: 0.8rem; border: 2px solid var(--rl-surface); box-shadow: 0 0 0 1px var(--rl-line-strong); }
    .menu { position: relative; }
    .menu > summary { list-style: none; }
    .menu > summary::-webkit-details-marker { display: none; }
    .menu .pop { position: absolute; right: 0; top: calc(100% + 6px); z-index: 20; background: var(--rl-surface); border: 1px solid var(--rl-line-strong); border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,0.18); padding: 10px; display: grid; gap: 6px; min-width: 250px; }
    .pop label { display: flex; gap: 8px; align-items: center; font-size: 0.9rem; }
    .pop button { justify-content: flex-start; }
    .banner { margin: 10px 16px 0; padding: 8px 14px; border-radius: 8px; background: var(--rl-highlight); border: 1px solid var(--rl-highlight-edge); font-size: 0.92rem; }
    .layout { display: grid; grid-template-columns: minmax(0, 1fr) 250px; gap: 16px; padding: 12px 16px 80px; max-width: 1320px; margin: 0 auto; align-items: start; }
    main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; min-width: 0; }
    aside { position: sticky; top: 8px; display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; max-height: calc(100vh - 16px); overflow: auto; }
    aside .card { padding: 10px 12px; }
    aside h2 { font-size: 0.9rem; margin-bottom: 6px; }
    aside ol, aside ul { margin: 0; padding: 0; list-style: none; display: grid; gap: 2px; font-size: 0.85rem; }
    aside a { text-decoration: none; color: var(--rl-ink); display: block; padding: 2px 4px; border-radius: 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    aside a:hover { background: var(--rl-surface-2); }
    aside .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
    .cell { display: grid; grid-template-columns: 34px minmax(0, 1fr); gap: 6px; padding: 10px 14px 12px 6px; border-left: 5px solid var(--rl-line); scroll-margin-top: 12px; content-visibility: auto; contain-intrinsic-size: auto 260px; }
    .cell:focus { outline: 3px solid var(--rl-focus); outline-offset: 2px; }
    .cell.k-trace { border-left-color: var(--rl-accent); }
    .cell.k-lesson { border-left-color: var(--rl-allocator); }
    .cell.k-explorer { border-left-color: var(--rl-reaper); }
    .cell.target { box-shadow: 0 0 0 3px var(--rl-focus); }
    .compare { margin: 12px 16px 0; padding: 10px 14px; border-top: 5px solid var(--rl-accent); }
    .comparehead { display: flex; gap: 12px; align-items: center; margin-bottom: 6px; }
    .comparehead h2 { font-size: 1.05rem; }
    .comparehead .hint { flex: 1; font-size: 0.85rem; }
    .pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
    .small { font-size: 0.85rem; }
    button.small { min-height: 30px; padding: 3px 10px; font-size: 0.85rem; }
    .placeholder { min-height: 120px; color: var(--rl-muted); font-size: 0.9rem; }
    .placeholder.p-trace { min-height: 210px; }
    .placeholder.p-lesson { min-height: 900px; }
    .placeholder.p-explorer { min-height: 560px; }
    .gutter { font-size: 1.2rem; text-align: center; color: var(--rl-muted); padding-top: 2px; }
    .cellhead { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; margin-bottom: 4px; min-height: 28px; }
    .cellhead .kindname { font-size: 0.75rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em; color: var(--rl-muted); }
    .cellhead .by { font-size: 0.78rem; color: var(--rl-muted); flex: 1 1 12em; min-width: 0; }
    .cellhead button { min-height: 26px; padding: 1px 8px; font-size: 0.8rem; }
    .here { display: inline-flex; gap: 4px; }
    .here span { font-size: 0.72rem; font-weight: 700; color: var(--rl-on-dark); padding: 1px 6px; border-radius: 10px; }
    .add { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 10px 14px; border: 2px dashed var(--rl-line); border-radius: var(--rl-radius); }
    .add select { max-width: 280px; }
    .empty { padding: 24px; text-align: center; }
    .problem { max-width: 640px; margin: 48px auto; padding: 24px; display: grid; gap: 12px; }
    input[type="file"] { display: none; }
    @media (max-width: 1000px) { .layout { grid-template-columns: minmax(0, 1fr); } aside { position: static; max-height: none; } }
    @media (max-width: 900px) { .pair { grid-template-columns: minmax(0, 1fr); } }
    /* phones: the kind's icon column goes (the head still names the kind), the cell gets its width */
    @media (max-width: 640px) { .layout { padding: 8px 8px 60px; } .cell { grid-template-columns: minmax(0, 1fr); padding: 10px 10px 12px; } .gutter { display: none; } }
  `];

  /** The notebook id from the route ('new' or '' opens a fresh one). */
  @property() notebook = '';
  @property({ attribute: false }) query: URLSearchParams = new URLSearchParams();
  @state() private lessons: LessonListItem[] = [];
  @state() private pickedLesson = '';
  @state() private busy = false;
  /** Up to two recorded runs replayed side by side (this viewer's choice, not stored). */
  @state() private compare: string[] = [];
  private readonly nb = new NotebookController(this);
  /** Cells whose body has been drawn (they came near the viewport once); the others are light placeholders. */
  private readonly mounted = new Set<string>();
  private observer: IntersectionObserver | null = null;
  private observed = new WeakSet<Element>();
  private scrolledTo = '';
  /** The notebook id waiting for the visitor's name, if any. */
  @state() private askName = '';
  @state() private nameDraft = '';
  private remembered = '';
  private tracesCache: { cells: CellView[]; traces: TraceRecord[] } | null = null;

  constructor() {
    super();
    this.nb.onToast = (text, kind) => toast(this, text, kind);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void lessonList().then((r) => { if (r.ok) this.lessons = r.data; });
    if (typeof IntersectionObserver === 'function') {
      this.observer = new IntersectionObserver((entries) => {
        let more = false;
        for (const e of entries) {
          const id = (e.target as HTMLElement).dataset.cell;
          if (e.isIntersecting && id && !this.mounted.has(id)) {
            this.mounted.add(id);
            more = true;
          }
        }
        if (more) this.requestUpdate();
      }, { rootMargin: '1200px 0px' });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
    this.observed = new WeakSet();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('notebook')) {
      const id = this.notebook;
      if (!id || id === 'new') {
        navigate(`#/notebook/${newNotebookId()}`, true);
        return;
      }
      if (id !== this.nb.id) {
        this.scrolledTo = '';
        // An invite to someone else's notebook asks for a name first, as a room link does.
        if (NOTEBOOK_ID_RE.test(id) && !savedName().trim() && !credentialFor(id)) this.askName = id;
        else if (NOTEBOOK_ID_RE.test(id)) void this.nb.open(id);
      }
    }
  }

  protected override updated(): void {
    if (this.askName) this.renderRoot.querySelector<HTMLInputElement>('#nb-name')?.focus();
    // "My runs and notebooks" lists every notebook this browser opened, under its title.
    const title = this.nb.title?.toString() ?? '';
    if (this.nb.provider?.synced && this.nb.id && `${this.nb.id}|${title}` !== this.remembered) {
      this.remembered = `${this.nb.id}|${title}`;
      rememberNotebook({ id: this.nb.id, title });
    }
    // Draw cell bodies lazily: a notebook of a thousand runs opens as fast as one of ten.
    if (this.observer) {
      for (const el of this.renderRoot.querySelectorAll<HTMLElement>('section.cell')) {
        if (!this.observed.has(el)) {
          this.observed.add(el);
          this.observer.observe(el);
        }
      }
    }
    // A permalink: scroll to the cell once it exists, unfold a run.
    const target = this.query.get('cell');
    if (!target || this.scrolledTo === target || !this.nb.cells.some((c) => c.id === target)) return;
    this.scrolledTo = target;
    const el = this.renderRoot.querySelector<HTMLElement>(`#cell-${CSS.escape(target)}`);
    if (!el) return;
    el.scrollIntoView({ block: 'start' });
    el.focus({ preventScroll: true });
    el.querySelector<RlNbTrace>('rl-nb-trace')?.show();
  }

  // ------------------------------------------------------------------ helpers

  private get canEdit(): boolean {
    return this.nb.provider?.canEdit ?? false;
  }

  private get isHost(): boolean {
    return this.nb.provider?.seat === 'host';
  }

  private created(): CellCreated {
    return { by: this.nb.name, at: new Date().toISOString(), via: 'editor' };
  }

  private traces(): TraceRecord[] {
    const cells = this.nb.cells;
    if (this.tracesCache?.cells !== cells) {
      this.tracesCache = { cells, traces: cells.filter((c): c is Extract<CellView, { kind: 'trace' }> => c.kind === 'trace').map((c) => c.trace) };
    }
    return this.tracesCache.traces;
  }

  private carets(cellId: string): RemoteCaret[] {
    return this.nb.people.filter((p) => !p.me && p.cursor?.cell === cellId && p.cursor.field).map((p) => ({
      client: p.client, name: p.name, color: p.color, field: p.cursor!.field!, anchor: p.cursor!.anchor, head: p.cursor!.head,
    }));
  }

  private permalink(cellId: string): string {
    return `${location.origin}/#/notebook/${this.nb.id}?cell=${cellId}`;
  }

  /** The scenario a new explorer cell starts from: the last one asked, run or taught here. */
  private defaultQuestion(): ExplorerScenario {
    const cells = this.nb.cells;
    for (let i = cells.length - 1; i >= 0; i--) {
      const c = cells[i]!;
      if (c.kind === 'explorer') return { ...c.scenario, overrides: { ...c.scenario.overrides } };
      if (c.kind === 'trace') return explorerScenarioOf(c.trace.scenario);
      if (c.kind === 'lesson') return explorerScenarioOf(c.lesson.scenario);
    }
    return { variant: 'rfc-v1', config: 'pgtable-heavy', overrides: {} };
  }

  // ------------------------------------------------------------------ actions

  private addNote(index?: number): void {
    const doc = this.nb.doc;
    if (!doc || !this.canEdit) return;
    const id = insertCell(doc, { kind: 'markdown' }, this.created(), index);
    void this.updateComplete.then(() => requestAnimationFrame(() => {
      this.renderRoot.querySelector<RlNbMarkdown>(`#cell-${CSS.escape(id)} rl-nb-markdown`)?.edit();
    }));
  }

  private addExplorer(): void {
    const doc = this.nb.doc;
    if (!doc || !this.canEdit) return;
    insertCell(doc, { kind: 'explorer', scenario: this.defaultQuestion(), notes: '' }, this.created());
  }

  private async addLesson(): Promise<void> {
    const doc = this.nb.doc;
    const id = this.pickedLesson;
    if (!doc || !this.canEdit || !id) return;
    const r = await loadLesson(id);
    if (!r.ok) { toast(this, r.message, 'error'); return; }
    const l = r.data as typeof r.data & { scenario?: Scenario };
    const scenario = l.scenario ?? (() => {
      const sc = makeScenario(l.variant, l.config, (l.overrides ?? {}) as Partial<Config>);
      return isScenarioError(sc) ? { variant: l.variant, config: CONFIGS[l.config] } : sc;
    })();
    insertCell(doc, { kind: 'lesson', lesson: lessonRecord(l, scenario) }, this.created());
    toast(this, `Added the lesson "${l.title}".`, 'success');
  }

  private async play(p: Omit<NotebookPlayPayload, 'id'>): Promise<void> {
    const provider = this.nb.provider;
    if (!provider || this.busy) return;
    this.busy = true;
    const r = await provider.play(p);
    this.busy = false;
    if (!r.ok) return; // the controller's toast says why
    rememberRoomSeat(r.data.code, r.data.token);
    toast(this, `Room ${r.data.code} is yours: every run you finish there lands in this notebook. Come back with the browser's Back button.`, 'success');
    navigate(`#/room/${r.data.code}`);
  }

  private deleteCell(c: CellView): void {
    const doc = this.nb.doc;
    if (!doc) return;
    const what = c.kind === 'trace' ? 'this recorded run' : c.kind === 'lesson' ? 'this lesson' : c.kind === 'explorer' ? 'this explorer cell' : 'this note';
    if (!confirm(`Delete ${what} for everyone in the notebook?`)) return;
    const i = cellIndex(doc, c.id);
    if (i >= 0) cellsOf(doc).delete(i, 1);
  }

  private async copy(text: string, done: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      toast(this, done, 'success');
    } catch {
      prompt('Copy this link:', text);
    }
  }

  /** Absolute links for exports: a cell's permalink and a run's replay. */
  private exportLinks(): ExportLinks {
    return {
      link: (id) => this.permalink(id),
      replay: (t) => `${location.origin}/${shareHash({ scenario: t.scenario, actions: t.actions, ...(t.lesson ? { lesson: t.lesson } : {}) })}`,
    };
  }

  /** The explorer's answers for the notebook's explorer cells, as Markdown (computed, not stored). */
  private async explorerResults(): Promise<Map<string, string>> {
    const results = new Map<string, string>();
    const traces = this.traces();
    for (const c of this.nb.cells) {
      if (c.kind !== 'explorer') continue;
      const sc = resolveScenario(c.scenario);
      if (typeof sc === 'string') continue;
      const r = await explorerReport(sc);
      if (typeof r !== 'string') results.set(c.id, explorerResultsMarkdown(r, coverage(r, traces)));
    }
    return results;
  }

  private async exportMarkdown(): Promise<void> {
    const doc = this.nb.doc;
    if (!doc) return;
    const results = await this.explorerResults();
    download(`${this.nb.id}.md`, 'text/markdown', toMarkdown(doc, this.nb.id, { ...this.exportLinks(), explorerResults: (id) => results.get(id) ?? null }));
  }

  private async exportIpynb(): Promise<void> {
    const doc = this.nb.doc;
    if (!doc) return;
    const results = await this.explorerResults();
    const nb = toIpynb(doc, this.nb.id, { ...this.exportLinks(), explorerResults: (id) => results.get(id) ?? null, notebookLink: `${location.origin}/#/notebook/${this.nb.id}` });
    download(`${this.nb.id}.ipynb`, 'application/x-ipynb+json', JSON.stringify(nb, null, 1));
  }

  private exportJson(): void {
    const doc = this.nb.doc;
    if (!doc) return;
    download(`${this.nb.id}.json`, 'application/json', JSON.stringify(toJSON(doc, this.nb.id, new Date(), this.exportLinks()), null, 2));
  }

  private async importJson(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    const doc = this.nb.doc;
    if (!file || !doc || !this.canEdit) return;
    const parsed = parseExport(await file.text());
    if (typeof parsed === 'string') { toast(this, parsed, 'error'); return; }
    const n = importCells(doc, parsed, this.nb.name);
    toast(this, `Imported ${n} cell${n === 1 ? '' : 's'} from "${parsed.title || parsed.id}". Recorded runs are marked as imported.`, 'success');
  }

  // ------------------------------------------------------------------ rendering

  override render() {
    const id = this.notebook;
    if (id && id !== 'new' && !NOTEBOOK_ID_RE.test(id)) {
      return this.problem('This is not a notebook link', 'A notebook id is 3 to 48 letters, digits, - or _. Check the link, or open a new notebook.');
    }
    if (this.askName) return this.renderAskName(this.askName);
    if (this.nb.problem) {
      const e = this.nb.problem;
      return this.problem(e.code === 'unknown_notebook' ? 'No such notebook' : 'The notebook could not be opened', e.message);
    }
    const p = this.nb.provider;
    const meta = p?.meta ?? null;
    return html`
      ${this.renderTop()}
      ${p && p.synced && !p.canEdit ? html`<p class="banner" role="status">${meta?.policy.locked
        ? html`<b>Locked.</b> The host has locked this notebook: everyone reads, nobody edits.${this.isHost ? ' Unlock it in Settings.' : ''}`
        : html`You are reading this notebook as a <b>spectator</b>. ${meta?.kind === 'room' ? 'Players of the room edit it; take a role in the room, or ask the host to let spectators edit.' : 'Ask the host to let spectators edit.'}`}</p>` : nothing}
      ${this.renderCompare()}
      <div class="layout">
        <main aria-label="Cells" @rl-nb-compare=${(e: CustomEvent<{ cell: string }>) => this.toggleCompare(e.detail.cell)}>
          ${p && !p.synced && this.nb.cells.length === 0 ? html`<p class="card empty muted" aria-live="polite">${STATUS_TEXT[p.status] ?? 'Loading…'}</p>` : nothing}
          ${p?.synced && this.nb.cells.length === 0 ? html`<div class="card empty"><p><b>This notebook is empty.</b></p><p class="muted">${this.canEdit ? 'Add a note, an explorer question or a lesson below, or play a run: finished runs land here as replayable traces.' : 'Nothing has been written here yet.'}</p></div>` : nothing}
          ${repeat(this.nb.cells, (c) => c.id, (c, i) => this.renderCell(c, i))}
          ${this.canEdit ? this.renderAdd() : nothing}
        </main>
        ${this.renderAside()}
      </div>`;
  }

  private problem(title: string, text: string) {
    return html`<main><div class="problem card" role="alert"><h1>${title}</h1><p>${text}</p>
      <p><a class="button primary" href="#/notebook/new">Open a new notebook</a> <a class="button" href="#/">Back to the first screen</a></p></div></main>`;
  }

  private renderAskName(id: string) {
    return html`<main><form class="problem card" @submit=${(e: Event) => {
      e.preventDefault();
      const name = this.nameDraft.trim();
      if (!name) return;
      saveName(name);
      this.askName = '';
      void this.nb.open(id);
    }}>
      <h1>Open a shared notebook</h1>
      <p class="muted">You were invited to a reaplab notebook: notes, recorded runs of the OOM reaper race and explorer questions, written together.</p>
      <label for="nb-name">Your name, as the others in the notebook will see it</label>
      <input id="nb-name" maxlength="40" autocomplete="nickname" required .value=${this.nameDraft}
        @input=${(e: Event) => { this.nameDraft = (e.target as HTMLInputElement).value; }} />
      <p><button class="primary" type="submit" ?disabled=${!this.nameDraft.trim()}>Open the notebook</button> <a class="button" href="#/">Cancel</a></p>
    </form></main>`;
  }

  private renderTop() {
    const p = this.nb.provider;
    const meta = p?.meta ?? null;
    const title = this.nb.title;
    const status = !p ? 'Opening…' : p.status === 'synced' ? (p.pending > 0 ? 'Saving…' : 'All changes saved') : (STATUS_TEXT[p.status] ?? p.status);
    const statusClass = p?.status === 'offline' || p?.status === 'failed' ? 'bad' : p?.status === 'synced' && p.pending === 0 ? 'ok' : '';
    return html`<header class="top">
      <a href="#/" class="button quiet" aria-label="Back to the first screen">← reaplab</a>
      <div class="title">${title
        ? html`<h1 class="sr-only">Notebook: ${title.toString()}</h1><rl-nb-text single .ytext=${title} ?readonly=${!this.canEdit} label="Notebook title" cell="title" field="title"></rl-nb-text>`
        : html`<h1>Notebook</h1>`}</div>
      ${meta ? html`<span class="chip kind" title="Notebook id">${meta.kind === 'room' ? `Room ${meta.ref}` : meta.kind === 'class' ? `Class ${meta.ref}` : this.nb.id}</span>` : nothing}
      ${meta?.kind === 'room' ? html`<a class="button" href="#/room/${meta.ref}">Back to the game</a>` : nothing}
      ${meta?.kind === 'class' ? html`<a class="button" href="/api/classes/${meta.ref}/report.md" target="_blank" rel="noopener" data-test="class-report" title="Per room and per student: runs, outcomes found, steps, time">Class report</a>` : nothing}
      <div class="people" role="list" aria-label="Who is here">
        ${this.nb.people.slice(0, 8).map((x) => html`<span class="avatar" role="listitem" ${cssom({ background: x.color })} title="${x.name}${x.me ? ' (you)' : ''}" aria-label="${x.name}${x.me ? ' (you)' : ''}">${x.name.slice(0, 2).toUpperCase()}</span>`)}
      </div>
      <span class="status ${statusClass}" role="status" aria-live="polite">${status}</span>
      <button @click=${() => void this.copy(`${location.origin}/#/notebook/${this.nb.id}`, 'Link copied: whoever opens it joins this notebook.')}>Share link</button>
      <details class="menu"><summary class="button" role="button">Export ▾</summary>
        <div class="pop">
          <button @click=${() => void this.exportMarkdown()}>Markdown (a table per run)</button>
          <button @click=${() => void this.exportIpynb()}>Jupyter notebook (.ipynb)</button>
          <button @click=${() => this.exportJson()}>JSON (to import elsewhere)</button>
          ${this.canEdit ? html`<label class="button" for="import" role="button" tabindex="0" @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.renderRoot.querySelector<HTMLInputElement>('#import')?.click(); } }}>Import JSON…</label>
            <input id="import" type="file" accept="application/json,.json" @change=${this.importJson} />` : nothing}
        </div></details>
      ${this.isHost && meta ? html`<details class="menu"><summary class="button" role="button">Settings ▾</summary>
        <div class="pop" role="group" aria-label="Who may edit">
          <label><input type="checkbox" .checked=${meta.policy.spectators === 'edit'} @change=${(e: Event) => void p!.setPolicy({ spectators: (e.target as HTMLInputElement).checked ? 'edit' : 'read' })} /> Spectators may edit</label>
          <label><input type="checkbox" .checked=${meta.policy.visitors === 'player'} @change=${(e: Event) => void p!.setPolicy({ visitors: (e.target as HTMLInputElement).checked ? 'player' : 'spectator' })} /> Anyone with the link edits</label>
          <label><input type="checkbox" .checked=${meta.policy.locked} @change=${(e: Event) => void p!.setPolicy({ locked: (e.target as HTMLInputElement).checked })} /> Lock: nobody edits, not even you</label>
        </div></details>` : nothing}
    </header>`;
  }

  private renderCell(c: CellView, index: number) {
    const k = KIND_LABELS[c.kind];
    const here: Person[] = this.nb.people.filter((x) => !x.me && x.cursor?.cell === c.id);
    const canDelete = this.canEdit && (c.kind === 'markdown' || c.kind === 'explorer' || this.isHost);
    const target = this.query.get('cell') === c.id;
    const carets = this.carets(c.id);
    const by = c.created.via === 'server' ? (c.kind === 'trace' ? 'recorded by the server' : 'added when the notebook was made') : `${c.created.via === 'import' ? 'imported' : 'added'} by ${c.created.by}`;
    return html`<section class="cell card k-${c.kind} ${target ? 'target' : ''}" id="cell-${c.id}" data-cell=${c.id} tabindex="0" aria-label="${k.name} (cell ${index + 1})"
      @focusin=${(e: FocusEvent) => { if (e.target === e.currentTarget) this.nb.setCursor({ cell: c.id }); }}
      @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && e.target === e.currentTarget && c.kind === 'markdown') { e.preventDefault(); (e.currentTarget as HTMLElement).querySelector<RlNbMarkdown>('rl-nb-markdown')?.edit(); } }}
      @rl-nb-cursor=${(e: CustomEvent) => this.nb.setCursor(e.detail as never)}
      @rl-nb-play=${(e: CustomEvent) => void this.play(e.detail as Omit<NotebookPlayPayload, 'id'>)}>
      <div class="gutter" aria-hidden="true">${k.icon}</div>
      <div>
        <div class="cellhead">
          <span class="kindname">${k.name}</span>
          <span class="by">${by}</span>
          <span class="here">${here.map((x) => html`<span ${cssom({ background: x.color })} title="${x.name} is here">${x.name}</span>`)}</span>
          <button class="quiet" title="Copy a link to this cell" @click=${() => void this.copy(this.permalink(c.id), 'Link to this cell copied.')}>Link</button>
          ${this.canEdit ? html`<button class="quiet" title="Add a note below" @click=${() => this.addNote(cellIndex(this.nb.doc!, c.id) + 1)}>+ Note below</button>` : nothing}
          ${canDelete ? html`<button class="quiet" title="Delete this cell" @click=${() => this.deleteCell(c)}>Delete</button>` : nothing}
        </div>
        ${this.isMounted(c, index, target) ? this.renderBody(c, carets, target) : html`<div class="placeholder p-${c.kind}" aria-busy="true">${c.kind === 'trace' ? `${OUTCOME_ICONS[c.trace.outcome]} Run ${c.trace.run} — ${OUTCOME_NAMES[c.trace.outcome]}, ${count(c.trace.actions.length, 'step')}` : ''}</div>`}
      </div>
    </section>`;
  }

  /** Whether a cell's body is drawn: near the viewport once, among the first few, the permalink target, or with someone in it. */
  private isMounted(c: CellView, index: number, target: boolean): boolean {
    if (this.mounted.has(c.id)) return true;
    if (!this.observer || target || this.nb.people.some((p) => !p.me && p.cursor?.cell === c.id) || index < 6) {
      this.mounted.add(c.id);
      return true;
    }
    return false;
  }

  private renderBody(c: CellView, carets: RemoteCaret[], target: boolean) {
    switch (c.kind) {
      case 'markdown': return html`<rl-nb-markdown .cell=${c} .carets=${carets} ?canEdit=${this.canEdit}></rl-nb-markdown>`;
      case 'lesson': return html`<rl-nb-lesson .cell=${c} .carets=${carets} ?canEdit=${this.canEdit}></rl-nb-lesson>`;
      case 'trace': return html`<rl-nb-trace .cell=${c} .carets=${carets} ?canEdit=${this.canEdit} ?open=${target} ?compared=${this.compare.includes(c.id)}></rl-nb-trace>`;
      case 'explorer': return html`<rl-nb-explorer .cell=${c} .carets=${carets} .traces=${this.traces()} ?canEdit=${this.canEdit}></rl-nb-explorer>`;
    }
  }

  private renderAdd() {
    const sorted = [...this.lessons].sort((a, b) => a.order - b.order);
    const meta = this.nb.provider?.meta;
    return html`<div class="add" role="group" aria-label="Add to the notebook">
      <button @click=${() => this.addNote()}>+ Note</button>
      <button @click=${() => this.addExplorer()} title="Explore every interleaving of a scenario, and see what the runs here have found">+ Explorer</button>
      <select aria-label="A lesson" @change=${(e: Event) => { this.pickedLesson = (e.target as HTMLSelectElement).value; }}>
        <option value="" ?selected=${!this.pickedLesson}>Choose a lesson…</option>
        ${sorted.map((l) => html`<option value=${l.id} ?selected=${l.id === this.pickedLesson}>${l.order}. ${l.title}</option>`)}
      </select>
      <button ?disabled=${!this.pickedLesson} @click=${() => void this.addLesson()}>+ Lesson</button>
      <button class="primary" ?disabled=${!this.pickedLesson || this.busy} @click=${() => void this.play({ lesson: this.pickedLesson })}
        title="Opens a room for the lesson; every run finished there is recorded here">▶ Play it into the notebook</button>
      ${meta?.kind === 'room' ? html`<span class="muted small">Runs finished in room ${meta.ref} land here by themselves.</span>` : nothing}
    </div>`;
  }

  private toggleCompare(id: string): void {
    this.compare = this.compare.includes(id) ? this.compare.filter((x) => x !== id) : [...this.compare, id].slice(-2);
    if (this.compare.length === 2) void this.updateComplete.then(() => this.renderRoot.querySelector('.compare')?.scrollIntoView({ block: 'start' }));
  }

  /** Two runs side by side, each with its own step slider: "why did one oops and not the other?" */
  private renderCompare() {
    const picked = this.compare.map((id) => this.nb.cells.find((c) => c.id === id)).filter((c): c is Extract<CellView, { kind: 'trace' }> => c?.kind === 'trace');
    if (picked.length === 0) return nothing;
    return html`<section class="compare card" aria-label="Runs side by side">
      <div class="comparehead"><h2>Side by side</h2>
        <span class="muted hint">${picked.length === 1 ? 'Pick a second run with its "Compare side by side" button.' : 'Each run has its own slider.'}</span>
        <button class="small" @click=${() => { this.compare = []; }}>Close the comparison</button></div>
      <div class="pair">${picked.map((c) => html`<rl-nb-trace compact open .cell=${c} ?canEdit=${this.canEdit}></rl-nb-trace>`)}</div>
    </section>`;
  }

  private renderAside() {
    const cells = this.nb.cells;
    const label = (c: CellView): string => {
      switch (c.kind) {
        case 'markdown': return `✎ ${c.text.toString().split('\n').find((l) => l.trim())?.replace(/^#+\s*/, '').slice(0, 60) || 'Empty note'}`;
        case 'lesson': return `§ ${c.lesson.title}`;
        case 'trace': return `${OUTCOME_ICONS[c.trace.outcome]} Run ${c.trace.run}${c.trace.room ? ` (${c.trace.room})` : ''} — ${OUTCOME_NAMES[c.trace.outcome]}`;
        case 'explorer': return `⌕ Explorer: ${c.scenario.variant} × ${typeof c.scenario.config === 'string' ? c.scenario.config : c.scenario.config.title}`;
      }
    };
    const seat = this.nb.provider?.seat;
    return html`<aside>
      <section class="card" aria-labelledby="who">
        <h2 id="who">Here now (${this.nb.people.length})</h2>
        <ul>${this.nb.people.map((x) => html`<li><span class="dot" ${cssom({ background: x.color })}></span>${x.name}${x.me ? html` <span class="muted">(you${seat ? `, ${seat}` : ''})</span>` : nothing}</li>`)}</ul>
      </section>
      <nav class="card" aria-labelledby="toc">
        <h2 id="toc">Contents (${cells.length})</h2>
        <ol>${cells.slice(0, 400).map((c) => html`<li><a href="#/notebook/${this.nb.id}?cell=${c.id}" @click=${(e: Event) => { e.preventDefault(); this.renderRoot.querySelector<HTMLElement>(`#cell-${CSS.escape(c.id)}`)?.scrollIntoView({ block: 'start' }); }}>${label(c)}</a></li>`)}
          ${cells.length > 400 ? html`<li class="muted">… and ${cells.length - 400} more</li>` : nothing}</ol>
      </nav>
    </aside>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-notebook': RlNotebook }
}
