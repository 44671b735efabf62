// "My runs and notebooks" (#/mine): the rooms this browser played in, with every finished
// run there (outcome, date, whether you stepped in it, a replay link), and the notebooks it
// opened. The recovery link (#/mine/restore/<data>) moves all of it, seats and owner tokens
// included, to another browser; opening it asks before adding anything.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { RunTrace } from '../../protocol/events.js';
import { navigate } from '../controllers/route-controller.js';
import { roomTraces, savedName } from '../lib/api.js';
import { OUTCOME_ICONS, OUTCOME_NAMES } from '../lib/labels.js';
import { forget, loadMine, parseRecovery, recoveryHash, restoreMine, type Mine, type MineRoom } from '../lib/mine.js';
import { shareHash } from '../lib/share.js';
import { rememberRoomSeat } from '../notebook/identity.js';
import { base } from '../styles/shared.js';
import { toast } from '../lib/toast.js';

function when(t: number | string): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

@customElement('rl-mine')
export class RlMine extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .page { max-width: 980px; margin: 0 auto; padding: 24px 24px 48px; display: grid; gap: 18px; }
    h1 { font-size: 1.6rem; }
    h2 { font-size: 1.15rem; margin-bottom: 8px; }
    section.card { padding: 16px 18px; display: grid; gap: 10px; }
    ul.items { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
    ul.items > li { border: 1px solid var(--rl-line); border-radius: 8px; padding: 10px 12px; display: grid; gap: 6px; }
    .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; justify-content: space-between; }
    .title { font-weight: 700; }
    .code { font-family: var(--rl-mono); font-weight: 700; }
    .chip { font-size: 0.78rem; padding: 1px 8px; border-radius: 999px; background: var(--rl-surface-2); border: 1px solid var(--rl-line); }
    table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
    th, td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid var(--rl-line); }
    .link { font-family: var(--rl-mono); font-size: 0.8rem; word-break: break-all; background: var(--rl-surface-2); padding: 8px; border-radius: 6px; }
    .warn { color: var(--rl-danger); font-weight: 600; }
    .buttons { display: flex; gap: 8px; flex-wrap: wrap; }
  `];

  /** The path segments after `mine/`: [] or ['restore', data]. */
  @property({ attribute: false }) segments: readonly string[] = [];

  @state() private mine: Mine = loadMine();
  @state() private runs = new Map<string, RunTrace[] | string>();
  @state() private showLink = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.refresh();
  }

  private refresh(): void {
    this.mine = loadMine();
    for (const r of this.mine.rooms.slice(0, 30)) {
      void roomTraces(r.code).then((got) => {
        const next = new Map(this.runs);
        next.set(r.code, got.ok ? got.data : got.message);
        this.runs = next;
      });
    }
  }

  override render() {
    if (this.segments[0] === 'restore') return this.renderRestore(this.segments[1] ?? '');
    const { rooms, notebooks } = this.mine;
    const name = savedName().trim();
    return html`<main class="page">
      <div><a href="#/">← reaplab</a><h1>My runs and notebooks</h1>
        <p class="muted">What this browser played and wrote${name ? html`, as <b>${name}</b>` : ''}. Nothing here needs an account: it lives in this browser, and the recovery link below moves it to another one.</p></div>
      <section class="card" aria-labelledby="rooms-h"><h2 id="rooms-h">Rooms and runs</h2>
        ${rooms.length === 0 ? html`<p class="muted">No rooms yet. <a href="#/campaign">Play a lesson</a> or join a room with its code; every run you finish is listed here.</p>`
          : html`<ul class="items">${rooms.map((r) => this.renderRoom(r, name))}</ul>`}
      </section>
      <section class="card" aria-labelledby="nb-h"><h2 id="nb-h">Notebooks</h2>
        ${notebooks.length === 0 ? html`<p class="muted">No notebooks yet. <a href="#/notebook/new">Open one</a>, or open a room's notebook from the game.</p>`
          : html`<ul class="items">${notebooks.map((n) => html`<li data-notebook=${n.id}><div class="row">
              <span><a class="title" href="#/notebook/${n.id}">${n.title || n.id}</a> ${n.owner ? html`<span class="chip" title="This browser created it and may change who edits">owner</span>` : nothing}</span>
              <span class="muted">opened ${when(n.seen)}</span></div></li>`)}</ul>`}
      </section>
      <section class="card" aria-labelledby="move-h"><h2 id="move-h">Move to another browser</h2>
        <p>Open your personal recovery link in the other browser (or on the other device): it adds these rooms, with your seats in them, and these notebooks, with the ones you own.</p>
        ${this.showLink ? html`<p class="warn">Keep this link to yourself, like a password: whoever opens it plays as you in these rooms.</p>
            <p class="link" data-test="recovery-link">${this.recoveryUrl()}</p>
            <div class="buttons"><button @click=${() => void this.copy()}>Copy the link</button><button @click=${() => { this.showLink = false; }}>Hide it</button></div>`
          : html`<div class="buttons"><button data-test="show-recovery" @click=${() => { this.showLink = true; }}>Show my recovery link</button></div>`}
      </section>
    </main>`;
  }

  private renderRoom(r: MineRoom, name: string) {
    const runs = this.runs.get(r.code);
    const me = name.toLowerCase();
    return html`<li data-room=${r.code}><div class="row">
        <span><span class="title">${r.title || 'Room'}</span> · room <span class="code">${r.code}</span> ${r.classCode ? html`<span class="chip">class ${r.classCode}</span>` : nothing}</span>
        <span class="buttons"><button @click=${() => this.rejoin(r)}>Back to the room</button><a class="button" href="#/notebook/room-${r.code}">Room notebook</a>
          <button class="quiet" title="Remove from this list (the room and its runs stay on the server)" @click=${() => { forget('room', r.code); this.refresh(); }}>Forget</button></span></div>
      <span class="muted">last there ${when(r.seen)}</span>
      ${runs === undefined ? html`<span class="muted">Loading the runs…</span>`
        : typeof runs === 'string' ? html`<span class="muted">${runs}</span>`
        : runs.length === 0 ? html`<span class="muted">No finished run yet.</span>`
        : html`<table><thead><tr><th>Run</th><th>Outcome</th><th>Finished</th><th>Steps</th><th>You</th><th><span class="sr-only">Links</span></th></tr></thead><tbody>
          ${runs.map((t) => {
            const played = t.actions.some((a) => a.by.kind === 'human' && a.by.name.toLowerCase() === me);
            return html`<tr data-trace=${t.id}><td>${t.run}</td><td>${OUTCOME_ICONS[t.outcome]} ${OUTCOME_NAMES[t.outcome]}${t.needlessKill ? ', needless kill' : ''}${t.verdict === 'win' ? ' · goal reached' : ''}</td>
              <td>${when(t.finishedAt)}</td><td>${t.actions.length}</td><td>${played ? 'played' : 'watched'}</td>
              <td><a href=${shareHash({ scenario: t.scenario, actions: t.actions.map((a) => ({ actor: a.actor, step: a.step })), ...(t.lesson ? { lesson: t.lesson } : {}) })}>Replay</a></td></tr>`;
          })}</tbody></table>`}
    </li>`;
  }

  private renderRestore(data: string) {
    const got = parseRecovery(data);
    if (typeof got === 'string') {
      return html`<main class="page"><section class="card" role="alert"><h1>This recovery link does not work</h1><p>${got}.</p><p><a class="button" href="#/mine">My runs and notebooks</a></p></section></main>`;
    }
    return html`<main class="page"><section class="card" aria-labelledby="restore-h">
      <h1 id="restore-h">Add your runs and notebooks to this browser?</h1>
      <p>This link carries ${got.rooms.length} room${got.rooms.length === 1 ? '' : 's'} and ${got.notebooks.length} notebook${got.notebooks.length === 1 ? '' : 's'}${got.name ? html` played as <b>${got.name}</b>` : ''}. What this browser has already stays.</p>
      <div class="buttons"><button class="primary" data-test="restore" @click=${() => this.restore(got)}>Add them</button><a class="button" href="#/mine">Not now</a></div>
    </section></main>`;
  }

  private restore(got: Mine): void {
    const n = restoreMine(got);
    toast(this, `Added ${n.rooms} room${n.rooms === 1 ? '' : 's'} and ${n.notebooks} notebook${n.notebooks === 1 ? '' : 's'} to this browser.`, 'success');
    navigate('#/mine', true);
    this.refresh();
  }

  private rejoin(r: MineRoom): void {
    rememberRoomSeat(r.code, r.token);
    navigate(`#/room/${r.code}`);
  }

  private recoveryUrl(): string {
    return `${location.origin}/${recoveryHash(loadMine())}`;
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.recoveryUrl());
      toast(this, 'Recovery link copied. Open it in the other browser.', 'success');
    } catch {
      prompt('Copy your recovery link:', this.recoveryUrl());
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-mine': RlMine }
}
