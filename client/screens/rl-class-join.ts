// "Join a class" (#/class/<CODE>, the projected link /c/<CODE>): a student types a name and
// is seated in a room of three, one actor each (auto grouping), or picks a room from the
// list (pick grouping). Seated, they continue in the ordinary game view at #/room/<ROOM>,
// which rejoins with the token the class controller stored.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ClassInfo, ClassRoomChoice } from '../../protocol/events.js';
import { ACTOR_ROLES } from '../../protocol/events.js';
import { ClassController, seatedRoom } from '../controllers/class-controller.js';
import { navigate } from '../controllers/route-controller.js';
import { classInfo, savedName, saveName } from '../lib/api.js';
import { ACTOR_COLORS, ROLE_NAMES } from '../lib/labels.js';
import { sentence } from '../lib/text.js';
import { base } from '../styles/shared.js';

@customElement('rl-class-join')
export class RlClassJoin extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .page { max-width: 720px; margin: 0 auto; padding: 28px 24px 48px; display: grid; gap: 16px; }
    .card { padding: 22px 26px; display: grid; gap: 14px; }
    h1 { font-size: 1.6rem; }
    .code { font-family: var(--rl-mono); letter-spacing: 0.12em; }
    .goal { color: var(--rl-ink-2); }
    form.name { display: flex; gap: 10px; }
    form.name input { flex: 1; font-size: 1.1rem; min-height: 44px; }
    form.name button { min-height: 44px; font-size: 1.05rem; padding: 8px 20px; }
    .err { color: var(--rl-danger); font-weight: 600; }
    ul.rooms { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
    ul.rooms li { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 10px; align-items: center; padding: 10px 14px; border: 1px solid var(--rl-line-strong); border-radius: 8px; }
    .who { display: flex; gap: 6px; flex-wrap: wrap; font-size: 0.9rem; }
    .dot { display: inline-block; width: 0.7em; height: 0.7em; border-radius: 50%; margin-right: 4px; background: var(--c); }
    .seated { border-left: 6px solid var(--rl-success); }
  `];

  @property() code = '';
  @state() private info: ClassInfo | null = null;
  @state() private infoError = '';
  @state() private name = savedName();
  @state() private error = '';
  /** Pick grouping: the rooms to choose from once the name is in. */
  @state() private rooms: ClassRoomChoice[] | null = null;
  @state() private again = false;
  private readonly klass = new ClassController(this);

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('code') && this.code) {
      this.info = null;
      this.infoError = '';
      void classInfo(this.code).then((r) => {
        if (r.ok) this.info = r.data;
        else this.infoError = `There is no class with the code ${this.code}. Check the code on the board, or ask your teacher.`;
      });
    }
  }

  override render() {
    const code = this.code.toUpperCase();
    if (this.infoError) {
      return html`<main class="page"><div class="card" role="alert"><h1>Class not found</h1><p>${this.infoError}</p>
        <p><a class="button primary" href="#/">Back to the first screen</a></p></div></main>`;
    }
    const info = this.info;
    const mine = seatedRoom(code);
    return html`<main class="page">
      <div><a href="#/">← reaplab</a></div>
      <section class="card" aria-labelledby="title">
        <p class="eyebrow">Class <span class="code">${code}</span></p>
        <h1 id="title">${info ? info.lesson.title : 'Joining a class…'}</h1>
        ${info ? html`<p class="goal"><b>Goal:</b> ${info.lesson.goal.text}</p>
          <p class="muted">${info.grouping === 'auto' ? 'You will be seated in a room of three and play one actor of the kernel.' : 'You choose a room; each player in a room steps one actor of the kernel.'}
            ${info.mode === 'race' ? 'Race: whoever clicks first goes first.' : 'Scheduler: one player per room picks who moves next.'}</p>` : nothing}
        ${info?.closed ? html`<p class="err" role="alert">Your teacher has stopped this class: no more joining or stepping.</p>` : nothing}
        ${mine && !this.again ? html`<div class="card seated" role="status">
            <p>This browser already has a seat in room <b class="code">${mine}</b>.</p>
            <p><a class="button primary" href="#/room/${mine}">Back to my room</a> <button @click=${() => { this.again = true; }}>Join as someone else</button></p>
          </div>` : info && !info.closed ? this.renderJoin(info) : nothing}
      </section>
    </main>`;
  }

  private renderJoin(info: ClassInfo) {
    if (this.rooms) return this.renderRooms();
    return html`<form class="name" @submit=${this.join} novalidate>
        <label class="sr-only" for="student-name">Your name</label>
        <input id="student-name" maxlength="40" autocomplete="nickname" placeholder="Your name" required .value=${this.name}
          @input=${(e: Event) => { this.name = (e.target as HTMLInputElement).value; this.error = ''; }} />
        <button class="primary" type="submit" data-test="join-class" ?disabled=${this.klass.pending}>${info.grouping === 'auto' ? 'Join the class' : 'Next: pick a room'}</button>
      </form>
      <p class="err" role="alert">${this.error}</p>`;
  }

  private renderRooms() {
    const rooms = this.rooms ?? [];
    return html`<h2>Pick a room</h2>
      ${rooms.length === 0 ? html`<p class="muted">No room yet: start the first one.</p>` : html`<ul class="rooms">${rooms.map((r) => html`<li>
        <div><b class="code">${r.code}</b>
          <div class="who">${r.seated ? html`<span>${r.seated} seated${ACTOR_ROLES.filter((a) => !r.free.includes(a)).map((a) => html` <span class="dot" data-color=${ACTOR_COLORS[a]}></span>${ROLE_NAMES[a]}`)}</span>` : html`<span class="muted">empty</span>`}</div>
          <div class="muted">${r.free.length ? `Free: ${r.free.map((f) => ROLE_NAMES[f]).join(', ')}` : 'Full: you would watch'}</div></div>
        <button class=${r.free.length ? 'primary' : ''} @click=${() => void this.sit(r.code)} ?disabled=${this.klass.pending}>${r.free.length ? 'Sit here' : 'Watch'}</button>
      </li>`)}</ul>`}
      <p><button @click=${() => void this.sit('new')} ?disabled=${this.klass.pending}>Start a new room</button>
        <button class="quiet" @click=${() => void this.sit(undefined)} ?disabled=${this.klass.pending}>Refresh the list</button></p>
      <p class="err" role="alert">${this.error}</p>`;
  }

  protected override updated(): void {
    // Colours of the role dots go through the CSSOM (CSP: no style attributes).
    for (const dot of this.renderRoot.querySelectorAll<HTMLElement>('.dot[data-color]')) dot.style.setProperty('--c', dot.dataset.color ?? '');
  }

  private async join(e: Event): Promise<void> {
    e.preventDefault();
    const name = this.name.trim();
    if (!name) { this.error = 'Type your name first: your room sees who plays which actor.'; return; }
    saveName(name);
    await this.sit(undefined);
  }

  private async sit(room: string | undefined): Promise<void> {
    const r = await this.klass.join(this.code, this.name.trim(), room);
    if (!r.ok) { this.error = sentence(r.error.message); return; }
    if (r.data.joined) navigate(`#/room/${r.data.joined.room.code}`);
    else this.rooms = r.data.rooms;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-class-join': RlClassJoin }
}
