// The room's admin panel: who is here (and who is the host), the bots for free seats, and
// handing over a seat or the host. What it offers follows the rules kernel
// (protocol/rules.ts seatsToGive); the requests go through the room's controller.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ActorRole } from '../../engine/index.js';
import { BOT_KINDS, type BotKind, type RoomView } from '../../protocol/events.js';
import { isActorRole, seatsToGive } from '../../protocol/rules.js';
import type { RoomController } from '../controllers/room-controller.js';
import { ROLE_NAMES } from '../lib/labels.js';
import { toast } from '../lib/toast.js';
import { base } from '../styles/shared.js';

@customElement('rl-room-admin')
export class RlRoomAdmin extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .players { padding: 10px 14px; font-size: 0.85rem; }
    .players h3 { font-size: 0.95rem; margin-bottom: 4px; }
    .players ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 3px; }
    .players .off { color: var(--rl-muted); }
    .players .bots-title { margin-top: 10px; font-size: 0.9rem; }
    .players .bots-title span { font-weight: 400; font-size: 0.8rem; }
    .bots { display: grid; gap: 4px; }
    .bots label { display: grid; grid-template-columns: 7.2em 1fr; align-items: center; gap: 8px; font-weight: 600; }
    .bots select { min-height: 30px; padding: 2px 6px; }
    .players .host { background: var(--rl-accent-soft); border-color: var(--rl-accent); color: var(--rl-accent-strong); margin-left: 4px; }
    .handover { display: grid; grid-template-columns: 7.2em auto minmax(0, 1fr) auto; gap: 4px 6px; align-items: center; }
    .handover form { display: contents; }
    .handover .what { font-weight: 600; }
    .handover select { min-height: 30px; padding: 2px 6px; min-width: 0; width: 100%; }
    .handover button { min-height: 30px; padding: 2px 10px; font-size: 0.85rem; }
  `];

  /** The room as last seen (a new value redraws the panel). */
  @property({ attribute: false }) room: RoomView | null = null;
  /** The room's connection: who I am, and the requests. */
  @property({ attribute: false }) controller!: RoomController;
  /** A request is under way (buttons wait). */
  @property({ type: Boolean }) pending = false;

  /** The hand-over form: which seat, to whom; and to whom the host goes. */
  @state() private giveRole: ActorRole | '' = '';
  @state() private giveTo = '';
  @state() private hostTo = '';

  override render() {
    const room = this.room;
    if (!room) return nothing;
    const ROLE_WORD: Record<string, string> = { spectator: 'watching', victim: 'Victim', reaper: 'OOM reaper', allocator: 'Allocator' };
    const me = this.controller.me?.playerId;
    const mine = this.controller.myRole;
    const host = this.controller.isHost;
    const holds = mine !== null && isActorRole(mine) ? mine : null;
    return html`<section class="card players" aria-label="Players and bots">
      <h3>Players (${room.players.length})</h3>
      <ul>${room.players.map((p) => html`<li class=${p.connected ? '' : 'off'} data-player=${p.name}>${p.name}${p.id === me ? ' (you)' : ''} — ${this.roleWord(room, p, ROLE_WORD)}${p.id === room.hostId ? html`<span class="chip host" title="The host can undo, restart, choose bots and give out seats">host</span>` : nothing}${p.connected ? '' : ' · away'}</li>`)}</ul>
      ${room.mode === 'race' && mine === 'spectator' ? html`<p class="muted">Claim an actor on its panel to play it.</p>` : nothing}
      ${(host || holds) && !this.controller.teacherHolds ? this.renderBots(room) : nothing}
      ${this.renderGive(room, host, holds)}
    </section>`;
  }

  /** What a player does here: in scheduler mode the host steps every actor (nobody else does). */
  private roleWord(room: RoomView, p: RoomView['players'][number], words: Record<string, string>): string {
    if (room.mode === 'scheduler' && p.id === room.hostId) return 'schedules every actor';
    return words[p.role] ?? p.role;
  }

  /** Bots for the seats: the host chooses any; a player who holds an actor may fill a free seat. */
  private renderBots(room: RoomView) {
    return html`<h3 class="bots-title">Bots <span class="muted">play free actors in race mode</span></h3>
      <div class="bots">${(['victim', 'reaper', 'allocator'] as const).map((r) => {
        const holder = room.players.find((p) => p.role === r);
        return html`<label>${ROLE_NAMES[r]}
          ${holder ? html`<span class="muted">${holder.name}</span>` : html`<select data-bot-role=${r} aria-label="Bot for the ${ROLE_NAMES[r]}"
            @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; void this.controller.setBot(r, v === '' ? null : (v as BotKind)); }}>
            <option value="" ?selected=${room.bots[r] === null}>no bot</option>
            ${BOT_KINDS.map((b) => html`<option value=${b} ?selected=${room.bots[r] === b}>${b}</option>`)}
          </select>`}</label>`;
      })}</div>`;
  }

  /** Hand a seat to another player (your own, or as the host any), and hand over the host. */
  private renderGive(room: RoomView, host: boolean, holds: ActorRole | null) {
    const me = this.controller.me?.playerId;
    const roles: ActorRole[] = me ? seatsToGive(room, me) : [];
    const others = room.players.filter((p) => p.id !== me);
    if (others.length === 0 || (roles.length === 0 && !(room.hostId === me))) return nothing;
    const role = roles.includes(this.giveRole as ActorRole) ? (this.giveRole as ActorRole) : (holds ?? roles[0]);
    const holder = role ? room.players.find((p) => p.role === role) : undefined;
    const receivers = others.filter((p) => p !== holder);
    const to = receivers.some((p) => p.id === this.giveTo) ? this.giveTo : (receivers[0]?.id ?? '');
    const hostTo = others.some((p) => p.id === this.hostTo) ? this.hostTo : (others[0]?.id ?? '');
    return html`<h3 class="bots-title">Hand over <span class="muted">${host ? 'seats and the host' : 'your seat'}</span></h3>
      <div class="handover">
      ${role && receivers.length ? html`<form data-test="give-seat" aria-label="Give a seat" @submit=${(e: Event) => { e.preventDefault(); if (to) void this.give(role, to); }}>
        ${roles.length > 1 ? html`<select id="give-role" aria-label="Seat to give" @change=${(e: Event) => { this.giveRole = (e.target as HTMLSelectElement).value as ActorRole; }}>
          ${roles.map((r) => html`<option value=${r} ?selected=${r === role}>${ROLE_NAMES[r]}</option>`)}</select>` : html`<span class="what" id="give-role">${ROLE_NAMES[role]}</span>`}
        <span>to</span>
        <select id="give-to" aria-label="Player who gets the ${ROLE_NAMES[role]}" @change=${(e: Event) => { this.giveTo = (e.target as HTMLSelectElement).value; }}>
          ${receivers.map((p) => html`<option value=${p.id} ?selected=${p.id === to}>${p.name}${p.role !== 'spectator' ? ` (${ROLE_NAMES[p.role as ActorRole]})` : ''}</option>`)}</select>
        <button type="submit" ?disabled=${this.pending} title=${holder ? `${holder.name} stops playing the ${ROLE_NAMES[role]}` : ''}>Give</button>
      </form>` : nothing}
      ${room.hostId === me ? html`<form data-test="give-host" aria-label="Hand over the host" @submit=${(e: Event) => { e.preventDefault(); if (hostTo) void this.controller.handoverHost(hostTo); }}>
        <span class="what">The host</span>
        <span>to</span>
        <select id="host-to" aria-label="Player who becomes the host" @change=${(e: Event) => { this.hostTo = (e.target as HTMLSelectElement).value; }}>
          ${others.map((p) => html`<option value=${p.id} ?selected=${p.id === hostTo}>${p.name}</option>`)}</select>
        <button type="submit" ?disabled=${this.pending} title="You keep your actor; they get undo, restart and bots">Give</button>
      </form>` : nothing}
      </div>`;
  }

  private async give(role: ActorRole, to: string): Promise<void> {
    const name = this.room?.players.find((p) => p.id === to)?.name ?? 'them';
    const r = await this.controller.handover(to, role);
    if (r?.ok) toast(this, `${name} plays the ${ROLE_NAMES[role]} now.`, 'success');
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-room-admin': RlRoomAdmin }
}
