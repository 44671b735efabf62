// Owns one open notebook for a view: the Y.Doc, its copy in IndexedDB (edits made offline
// survive a reload and merge on reconnect), the provider that syncs them over the /notebook
// namespace of the page's one connection (lib/connection.ts; never closed here). It
// exposes what the view draws — the cells (re-read only when the list
// changes: each cell element watches its own texts), the title, who is here and where —
// and turns the provider's problems into toasts. When the server refuses a change the
// document already holds, the copy is dropped and reloaded from the server.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { cellsOf, readCell, titleOf, type CellView } from '../../protocol/notebook/doc.js';
import { NOTEBOOK_NAMESPACE, type NotebookError } from '../../protocol/notebook/events.js';
import { namespaceSocket } from '../lib/connection.js';
import { PALETTE } from '../lib/palette.js';
import { colorFor, credentialFor, editorFor, myName, rememberOwner } from './identity.js';
import { NotebookProvider, randomKey, type NotebookSocket, type Presence } from './provider.js';

export interface Person {
  client: number;
  name: string;
  color: string;
  me: boolean;
  cursor: Presence['cursor'];
}

const dbName = (id: string) => `reaplab-notebook-${id}`;

export class NotebookController implements ReactiveController {
  id = '';
  doc: Y.Doc | null = null;
  provider: NotebookProvider | null = null;
  cells: CellView[] = [];
  people: Person[] = [];
  /** Shown in place of the notebook (it could not be opened). */
  problem: NotebookError | null = null;
  /** The local copy in this browser is ready (IndexedDB loaded, or unavailable). */
  ready = false;
  onToast: (text: string, kind: 'info' | 'error' | 'success') => void = () => {};

  private socket: NotebookSocket | null = null;
  private persistence: IndexeddbPersistence | null = null;
  private offs: (() => void)[] = [];
  private readonly views = new WeakMap<Y.Map<unknown>, CellView>();
  private frame = 0;
  private generation = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Coming back to the tab (say, from the game, with a role claimed there): the seat may have changed. */
  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible' && this.provider && this.provider.seat !== 'host') this.provider.refreshSeat();
  };

  hostConnected(): void {
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onVisible);
  }

  hostDisconnected(): void {
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisible);
    this.close();
  }

  get name(): string {
    return myName();
  }

  /** Opens notebook `id` (closing any other). */
  async open(id: string): Promise<void> {
    this.close();
    this.id = id;
    const generation = ++this.generation;
    const doc = new Y.Doc({ gc: false });
    this.doc = doc;
    this.ready = false;
    this.problem = null;
    this.host.requestUpdate();
    try {
      this.persistence = new IndexeddbPersistence(dbName(id), doc);
      await Promise.race([this.persistence.whenSynced, new Promise((r) => setTimeout(r, 1500))]);
    } catch {
      this.persistence = null; // private browsing: no local copy, the server still has everything
    }
    if (generation !== this.generation) return;
    this.socket = namespaceSocket<NotebookSocket>(NOTEBOOK_NAMESPACE);
    this.attach(doc);
  }

  private attach(doc: Y.Doc): void {
    const name = this.name;
    const provider = new NotebookProvider({
      id: this.id,
      doc,
      socket: this.socket!,
      name,
      color: colorFor(name),
      credential: () => credentialFor(this.id),
      editor: () => editorFor(this.id, doc.clientID, randomKey),
      onOwnerToken: (t) => rememberOwner(this.id, t),
    });
    this.provider = provider;
    const cells = cellsOf(doc);
    const onCells = () => this.refreshCells();
    cells.observe(onCells);
    // A cell's own fields can change in place (an explorer cell's question): its cached view is
    // read again. Edits inside a cell's texts are not these and leave the list alone.
    const onCellFields = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      let changed = false;
      for (const e of events) {
        if (e.target instanceof Y.Map && e.target.parent === cells) {
          this.views.delete(e.target as Y.Map<unknown>);
          changed = true;
        }
      }
      if (changed) this.refreshCells();
    };
    cells.observeDeep(onCellFields);
    const meta = doc.getMap('meta');
    meta.observe(onCells);
    const onPeople = () => this.refreshPeople();
    provider.awareness.on('change', onPeople);
    this.offs.push(
      () => cells.unobserve(onCells),
      () => cells.unobserveDeep(onCellFields),
      () => meta.unobserve(onCells),
      () => provider.awareness.off('change', onPeople),
      provider.onChange(() => {
        if (provider.status === 'failed' && provider.error && !provider.synced) this.problem = provider.error;
        if (provider.diverged) void this.reload();
        this.host.requestUpdate();
      }),
      provider.onRejected((e) => this.onToast(e.message, 'error')),
    );
    this.ready = true;
    this.refreshCells();
    this.refreshPeople();
  }

  /** Re-reads the list of cells (cheap: cell views are cached per Y.Map). */
  private refreshCells(): void {
    if (this.frame) return;
    const run = () => {
      this.frame = 0;
      const out: CellView[] = [];
      for (const m of cellsOf(this.doc!).toArray()) {
        let v = this.views.get(m);
        if (!v) {
          v = readCell(m) ?? undefined;
          if (v) this.views.set(m, v);
        }
        if (v) out.push(v);
      }
      this.cells = out;
      this.host.requestUpdate();
    };
    if (typeof requestAnimationFrame === 'function') this.frame = requestAnimationFrame(run);
    else run();
  }

  private peopleFrame = 0;

  /** Re-reads who is here, at most once a frame (cursors move with every keystroke). */
  private refreshPeople(): void {
    if (this.peopleFrame) return;
    if (typeof requestAnimationFrame !== 'function') { this.readPeople(); return; }
    this.peopleFrame = requestAnimationFrame(() => {
      this.peopleFrame = 0;
      this.readPeople();
    });
  }

  private readPeople(): void {
    const p = this.provider;
    if (!p) return;
    const me = p.doc.clientID;
    const out: Person[] = [];
    for (const [client, s] of p.awareness.getStates()) {
      const st = s as Partial<Presence>;
      if (!st.user) continue;
      out.push({ client, name: String(st.user.name ?? '?'), color: String(st.user.color ?? PALETTE.muted), me: client === me, cursor: st.cursor ?? null });
    }
    out.sort((a, b) => Number(b.me) - Number(a.me) || a.name.localeCompare(b.name));
    this.people = out;
    this.host.requestUpdate();
  }

  get title(): Y.Text | null {
    return this.doc ? titleOf(this.doc) : null;
  }

  setCursor(cursor: Presence['cursor']): void {
    this.provider?.setCursor(cursor);
  }

  /** Drops this browser's copy and takes the server's (after a refused change). */
  async reload(): Promise<void> {
    const p = this.provider;
    const message = p?.error?.message;
    const id = this.id;
    const persistence = this.persistence;
    this.detach();
    this.persistence = null;
    if (persistence) await persistence.clearData().catch(() => {});
    this.onToast(`${message ? `${message}. ` : ''}Your copy was reloaded from the server.`, 'error');
    if (this.id !== id) return;
    const doc = new Y.Doc({ gc: false });
    this.doc = doc;
    try {
      this.persistence = new IndexeddbPersistence(dbName(id), doc);
    } catch {
      this.persistence = null;
    }
    this.attach(doc);
  }

  private detach(): void {
    for (const off of this.offs.splice(0)) off();
    if (typeof cancelAnimationFrame === 'function') {
      if (this.frame) cancelAnimationFrame(this.frame);
      if (this.peopleFrame) cancelAnimationFrame(this.peopleFrame);
    }
    this.frame = 0;
    this.peopleFrame = 0;
    this.provider?.destroy();
    this.provider = null;
    this.cells = [];
    this.people = [];
  }

  close(): void {
    this.generation++;
    this.detach();
    void this.persistence?.destroy();
    this.persistence = null;
    this.doc?.destroy();
    this.doc = null;
    // The provider has left the notebook; the connection stays for the next screen.
    this.socket = null;
  }
}
