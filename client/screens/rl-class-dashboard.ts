// The teacher's class dashboard (#/class/<CODE>/teach), made for a projector: the join
// code and link in large type, then the class's coverage — which of the outcomes the
// explorer says are reachable some room has found — and one card per room: who plays
// which actor (and who hosts), the current run's progress, the runs so far and the
// outcomes found, who is playing, idle or away. The teacher can show the code full screen,
// pause and resume the class, let the students use the host's controls, restart or rotate
// the seats of a room or of all, move a student to another seat or room, and stop the class.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { OutcomeId } from '../../engine/index.js';
import { count } from '../../engine/words.js';
import { ACTOR_ROLES, type ClassRoomSummary, type ClassStudentView, type ClassView, type ProtocolError, type Role } from '../../protocol/events.js';
import { activityCounts, activityOf, activityWords } from '../lib/class-activity.js';
import { ClassController, adoptTeacherToken, teacherToken } from '../controllers/class-controller.js';
import { navigate } from '../controllers/route-controller.js';
import { ACTOR_COLORS, OUTCOME_BLURBS, OUTCOME_COLORS, OUTCOME_ICONS, OUTCOME_NAMES, ROLE_NAMES } from '../lib/labels.js';
import { sentence } from '../lib/text.js';
import { base } from '../styles/shared.js';
import '../widgets/rl-teacher-link.js';
import { toast } from '../lib/toast.js';

const ORDER: OutcomeId[] = ['success', 'needless_kill', 'lockup', 'oops', 'panic'];

@customElement('rl-class-dashboard')
export class RlClassDashboard extends LitElement {
  static override styles = [base, css`
    :host { display: block; font-size: 18px; --rl-muted: var(--rl-ink-2); }
    .page { max-width: 1600px; margin: 0 auto; padding: 14px 20px 32px; display: grid; gap: 14px; }
    header { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 16px; align-items: stretch; }
    .join { display: flex; align-items: center; gap: 22px; padding: 12px 20px; border: 3px solid var(--rl-ink); }
    .join .code { font-family: var(--rl-mono); font-weight: 800; font-size: 64px; line-height: 1; letter-spacing: 0.12em; }
    .join .how { display: grid; gap: 2px; min-width: 0; }
    .join .how span { font-size: 1rem; color: var(--rl-ink-2); }
    .join .how .link { font-family: var(--rl-mono); font-weight: 700; font-size: 1.7rem; color: var(--rl-ink); }
    .link .at { overflow-wrap: anywhere; }
    .link .whole { white-space: nowrap; display: inline-block; }
    .side { display: grid; gap: 8px; align-content: start; justify-items: end; }
    .side .title { font-size: 1.05rem; font-weight: 700; margin: 0; text-align: right; max-width: 22em; }
    .side .buttons { display: flex; gap: 8px; flex-wrap: wrap; justify-content: flex-end; }
    button, .button { font-size: 1rem; min-height: 44px; }
    button.danger { background: var(--rl-danger); border-color: var(--rl-danger); color: var(--rl-on-dark); }
    .confirm { display: flex; gap: 8px; align-items: center; padding: 8px 12px; border: 2px solid var(--rl-danger); border-radius: 8px; background: var(--rl-danger-tint); }
    .coverage { padding: 12px 18px; display: grid; gap: 10px; }
    .coverage h2 { font-size: 1.35rem; display: flex; gap: 14px; align-items: baseline; flex-wrap: wrap; }
    .coverage h2 .n { font-size: 1rem; font-weight: 600; color: var(--rl-ink-2); }
    .bar { height: 14px; border-radius: 7px; background: var(--rl-surface-2); border: 2px solid var(--rl-ink); overflow: hidden; display: flex; }
    .bar span { flex: 1; border-right: 2px solid var(--rl-ink); }
    .bar span:last-child { border-right: 0; }
    .bar span.on { background: var(--rl-success); }
    .outcomes { display: flex; gap: 10px; flex-wrap: wrap; }
    .oc { display: inline-flex; align-items: center; gap: 8px; padding: 6px 14px; border-radius: 999px; font-weight: 700; font-size: 1.05rem; border: 3px dashed var(--c); color: var(--rl-ink); background: white; }
    /* Dark text on every outcome colour reads on a projector (white only on panic's black). */
    .oc.found { border-style: solid; background: var(--c); color: var(--rl-ink); }
    .oc.found[data-outcome="panic"] { color: var(--rl-on-dark); }
    .oc .count { font-weight: 600; font-size: 0.9rem; }
    .oc.small { font-size: 0.85rem; padding: 2px 10px; border-width: 2px; }
    .never { font-size: 0.95rem; }
    .rooms { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(340px, 100%), 1fr)); gap: 14px; }
    .room { padding: 12px 16px; display: grid; gap: 8px; align-content: start; border-top: 8px solid var(--rl-line-strong); }
    .room.playing { border-top-color: var(--rl-accent); }
    .room.ended { border-top-color: var(--c, var(--rl-ink)); }
    .room h3 { font-size: 1.2rem; }
    .room h3 .rc { font-family: var(--rl-mono); letter-spacing: 0.08em; }
    .state { font-size: 1.05rem; font-weight: 700; margin-top: -4px; }
    .room.playing .state { color: var(--rl-accent-strong); }
    .seats { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
    .seats li { display: grid; grid-template-columns: 7.2em minmax(0, 1fr); gap: 8px; align-items: center; }
    .seats .role { font-weight: 800; color: var(--c); }
    .seats .open { color: var(--rl-muted); font-style: italic; }
    .away { color: var(--rl-muted); }
    .tag { display: inline-block; font-size: 0.75rem; font-weight: 700; padding: 0 6px; border-radius: 4px; border: 2px solid var(--rl-ink); margin-left: 6px; vertical-align: 2px; }
    .watchers { font-size: 0.9rem; color: var(--rl-ink-2); }
    .found { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
    .empty { padding: 22px; font-size: 1.2rem; }
    .closed { padding: 12px 18px; border-left: 8px solid var(--rl-danger); display: flex; gap: 12px; align-items: center; justify-content: space-between; flex-wrap: wrap; font-size: 1.1rem; }
    .controls { padding: 10px 16px; display: flex; gap: 10px 14px; flex-wrap: wrap; align-items: center; }
    .controls .toggle { display: inline-flex; gap: 8px; align-items: center; font-weight: 600; }
    .controls .toggle input { width: 24px; height: 24px; }
    .controls .counts { margin-left: auto; font-weight: 700; display: flex; gap: 12px; flex-wrap: wrap; }
    .paused-banner { padding: 12px 18px; border-left: 8px solid var(--rl-lockup); font-size: 1.25rem; }
    .act { font-size: 0.8rem; font-weight: 700; padding: 0 6px; border-radius: 4px; border: 2px solid currentColor; margin-left: 6px; white-space: nowrap; }
    .act.idle { color: var(--rl-needless-text); }
    .act.away { color: var(--rl-danger); border-style: dashed; }
    .room .tools { display: flex; gap: 6px; flex-wrap: wrap; }
    .room .tools button { font-size: 0.85rem; min-height: 36px; }
    .seats li { grid-template-columns: 7.2em minmax(0, 1fr) auto; }
    .seats select, .watchers select { width: 7em; padding-left: 4px; padding-right: 2px; font-size: 0.85rem; min-height: 36px; margin-left: 6px; }
    /* Names, tags and idle notes wrap rather than being cut: the projector must show them whole. */
    .seats .name { overflow-wrap: anywhere; }
    .problem { max-width: 680px; margin: 48px auto; padding: 24px; display: grid; gap: 12px; }
    .overlay { position: fixed; inset: 0; z-index: 40; background: var(--rl-surface); display: grid; place-items: center; text-align: center; padding: 24px; }
    .overlay .inner { display: grid; gap: 18px; justify-items: center; }
    .overlay .big { font-family: var(--rl-mono); font-weight: 900; font-size: clamp(72px, 16vw, 220px); line-height: 1; letter-spacing: 0.14em; border: 6px solid var(--rl-ink); border-radius: 16px; padding: 10px 30px; }
    .overlay .link { font-family: var(--rl-mono); font-weight: 700; font-size: clamp(24px, 4vw, 56px); }
    .overlay p { font-size: 1.4rem; }
    @media (max-width: 900px) { header { grid-template-columns: 1fr; } .side { justify-items: start; } .join .code { font-size: 44px; } }
  `];

  @property() code = '';
  /** The route's query: `key` carries the teacher token of a teacher link. */
  @property({ attribute: false }) query: URLSearchParams = new URLSearchParams();
  @state() private bigCode = false;
  @state() private showTeacherLink = false;
  @state() private confirmStop = false;
  /** When the class view last arrived (the idle time of a student grows from there). */
  private viewAt = 0;
  private lastView: ClassView | null = null;
  private tick: ReturnType<typeof setInterval> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    // Idle students are told apart by time: look again every few seconds.
    this.tick = setInterval(() => this.requestUpdate(), 5000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
  }
  private readonly klass = new ClassController(this);
  private started = '';

  protected override willUpdate(changed: PropertyValues): void {
    if (this.klass.view !== this.lastView) {
      this.lastView = this.klass.view;
      this.viewAt = Date.now();
    }
    if (!changed.has('code') || !this.code || this.started === this.code) return;
    this.started = this.code;
    // A teacher link: keep its token in this browser, then take it out of the address bar.
    const key = this.query.get('key');
    if (key && /^[A-Za-z0-9_-]{16,64}$/.test(key)) {
      adoptTeacherToken(this.code, key);
      navigate(`#/class/${this.code.toUpperCase()}/teach`, true);
    }
    const token = teacherToken(this.code);
    if (token) void this.klass.watch(this.code, token);
  }

  override render() {
    const code = this.code.toUpperCase();
    const problem = this.klass.problem;
    if (problem) {
      return html`<main><div class="problem card" role="alert"><h1>Could not open the class</h1><p>${sentence(problem.message)}</p>
        <p><a class="button primary" href="#/teach">Open a new class</a></p></div></main>`;
    }
    if (!teacherToken(code)) {
      return html`<main><div class="problem card" role="alert"><h1>This browser has no teacher link for class ${code}</h1>
        <p>Open the dashboard with the teacher link (Teacher link on the dashboard of the browser that opened the class shows it and its QR code). Students join at <b>/c/${code}</b>.</p>
        <p><a class="button primary" href="#/teach">Open a new class</a> <a class="button" href="#/class/${code}">Join as a student</a></p></div></main>`;
    }
    const v = this.klass.view;
    if (!v) return html`<main><div class="problem card" role="status"><h1>Opening class ${code}…</h1><p class="muted">Connecting to the server.</p></div></main>`;
    const url = this.joinUrl(v);
    const students = v.rooms.reduce((n, r) => n + r.players.length, 0);
    return html`<main class="page">
      <header>
        <section class="join card" aria-label="How students join">
          <span class="code" data-class-code>${v.code}</span>
          ${v.closed ? html`<div class="how"><span class="link">Class stopped</span><span>Students can no longer join or step; their runs are in the class notebook.</span></div>`
            : html`<div class="how"><span>Students: open</span>${this.joinLink(url, v.code)}<span>or type the code on the first screen of reaplab.</span></div>`}
        </section>
        <div class="side">
          <h1 class="title">${v.lesson.title}</h1>
          <span class="muted">${v.mode === 'race' ? 'Race' : 'Scheduler'} · ${v.grouping === 'auto' ? 'rooms of three' : 'students pick rooms'} · ${v.closed ? 'stopped' : this.klass.connected ? 'live' : 'reconnecting…'}</span>
          <div class="buttons">
            <button @click=${() => { this.bigCode = true; }} data-test="show-code">Show the code</button>
            <button @click=${() => { this.showTeacherLink = true; }} data-test="show-teacher-link" title="Open this dashboard on another device">Teacher link</button>
            <a class="button" href="/api/classes/${v.code}/report.md" target="_blank" rel="noopener" data-test="class-report" title="Per room and per student: runs, outcomes found, steps, time">Report</a>
            <a class="button" href="/api/classes/${v.code}/report.csv" download="class-${v.code}-report.csv" title="The report as CSV, for a spreadsheet">CSV</a>
            ${v.closed ? nothing : this.confirmStop
              ? html`<span class="confirm" role="group" aria-label="Stop the class?">Stop? Nobody can step after this.
                  <button class="danger" data-test="stop-now" @click=${() => void this.stop()}>Stop now</button>
                  <button @click=${() => { this.confirmStop = false; }}>Cancel</button></span>`
              : html`<button data-test="stop-class" @click=${() => { this.confirmStop = true; }}>Stop the class</button>`}
          </div>
        </div>
      </header>
      ${v.closed ? html`<section class="closed card" role="status"><span><b>The class is stopped.</b> Every run is in the class notebook: replay two traces side by side and ask why one oopsed and one did not.</span>
        <a class="button primary" href="#/notebook/class-${v.code}">Open the class notebook</a>
        <button class="danger" data-test="delete-class" @click=${() => void this.deleteClass()}>Delete the class and its data…</button></section>` : nothing}
      ${v.closed ? nothing : this.renderControls(v)}
      ${this.renderCoverage(v, students)}
      ${v.rooms.length === 0
        ? html`<section class="empty card" role="status">No students yet. They open <b>${this.joinLink(url, v.code)}</b> and type their name; the server seats them in rooms of three, one actor each.</section>`
        : html`<section class="rooms" aria-label="Rooms">${v.rooms.map((r) => this.renderRoom(v, r))}</section>`}
      ${this.showTeacherLink && this.klass.token ? html`<rl-teacher-link code=${v.code} token=${this.klass.token}
          @rl-close=${() => { this.showTeacherLink = false; }} @rl-rekey=${() => void this.rekey()}></rl-teacher-link>` : nothing}
      ${this.bigCode ? html`<div class="overlay" role="dialog" aria-modal="true" aria-label="Join code" @click=${() => { this.bigCode = false; }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.bigCode = false; }}>
        <div class="inner"><p>Join the class at</p>${this.joinLink(url, v.code)}<p>or type this code on the first screen:</p><span class="big">${v.code}</span>
          <p class="muted">${students} student${students === 1 ? '' : 's'} joined</p>
          <button class="back" @click=${() => { this.bigCode = false; }}>Back to the dashboard (Esc)</button></div></div>` : nothing}
    </main>`;
  }

  /** The join link, which may wrap before its code but never inside it (a code is read off the board whole). */
  private joinLink(url: string, code: string) {
    const at = url.endsWith(code) ? url.length - code.length : url.length;
    return html`<span class="link" data-test="join-link"><span class="at">${url.slice(0, at)}</span><wbr /><span class="whole">${url.slice(at)}</span></span>`;
  }

  private joinUrl(v: ClassView): string {
    const origin = location.origin.replace(/^https?:\/\//, '');
    return `${origin}${v.link.startsWith('/') ? v.link : `/c/${v.code}`}`;
  }

  private renderCoverage(v: ClassView, students: number) {
    const runs = v.rooms.reduce((n, r) => n + r.runs, 0);
    const reachable = ORDER.filter((o) => v.reachable.includes(o));
    const never = ORDER.filter((o) => !v.reachable.includes(o));
    const found = reachable.filter((o) => v.found.includes(o));
    return html`<section class="coverage card" aria-label="What the class has found">
      <h2>The class found ${found.length} of ${reachable.length} reachable outcome${reachable.length === 1 ? '' : 's'}
        <span class="n">${students} student${students === 1 ? '' : 's'} · ${v.rooms.length} room${v.rooms.length === 1 ? '' : 's'} · ${runs} finished run${runs === 1 ? '' : 's'}</span></h2>
      <div class="bar" role="progressbar" aria-label="Reachable outcomes found" aria-valuemin="0" aria-valuemax=${reachable.length} aria-valuenow=${found.length}>
        ${reachable.map((o) => html`<span class=${v.found.includes(o) ? 'on' : ''}></span>`)}</div>
      <div class="outcomes">${reachable.map((o) => {
        const rooms = v.rooms.filter((r) => r.found.includes(o)).length;
        return html`<span class="oc ${rooms ? 'found' : ''}" data-outcome=${o} data-color=${OUTCOME_COLORS[o]} title=${OUTCOME_BLURBS[o]}>
          ${OUTCOME_ICONS[o]} ${OUTCOME_NAMES[o]} <span class="count">${rooms ? `${rooms} room${rooms === 1 ? '' : 's'}` : 'not yet'}</span></span>`;
      })}</div>
      <p class="never">The explorer walked every interleaving of this lesson: these are all the outcomes a room can reach${never.length ? html`; never here: ${never.map((o, i) => html`${i ? ', ' : ''}${OUTCOME_ICONS[o]} ${OUTCOME_NAMES[o]}`)}` : nothing}.
        The lesson's goal: ${v.lesson.goal.kind === 'hunt' ? 'find' : 'avoid'} <b>${OUTCOME_NAMES[v.lesson.goal.outcome]}</b>.</p>
    </section>`;
  }

  private renderRoom(v: ClassView, r: ClassRoomSummary) {
    const reachable = ORDER.filter((o) => v.reachable.includes(o));
    const watchers = r.players.filter((p) => p.role === 'spectator');
    const progress = r.ended ? `run ${r.run}: ${OUTCOME_NAMES[r.ended]} after ${count(r.steps, 'step')}`
      : r.steps > 0 ? `run ${r.run} · step ${r.steps}`
      : r.players.length === 0 ? 'empty' : r.run > 1 ? `run ${r.run} · not started` : 'waiting for the first step';
    return html`<article class="room card ${r.ended ? 'ended' : r.steps > 0 ? 'playing' : ''}" data-room=${r.code} aria-label="Room ${r.code}" data-color=${r.ended ? OUTCOME_COLORS[r.ended] : ''}>
      <h3>Room <span class="rc">${r.code}</span></h3>
      <p class="state" data-test="room-progress">${r.ended ? OUTCOME_ICONS[r.ended] : r.steps > 0 ? '▶' : '○'} ${progress}</p>
      <ul class="seats">${ACTOR_ROLES.map((role) => {
        const p = r.players.find((x) => x.role === role);
        const bot = r.bots[role];
        return html`<li><span class="role" data-color=${ACTOR_COLORS[role]}>${ROLE_NAMES[role]}</span>
          ${p ? html`<span class="name ${p.connected ? '' : 'away'}" data-student=${p.name}>${p.name}${p.host ? html`<span class="tag" title="Host of the room">host</span>` : nothing}${this.renderActivity(p)}</span>`
            : html`<span class="open">${bot ? `bot (${bot})` : 'open seat'}</span>`}
          ${p && !v.closed ? this.renderMove(v, r, p) : html`<span></span>`}</li>`;
      })}</ul>
      ${watchers.length ? html`<p class="watchers">Watching: ${watchers.map((p, i) => html`${i ? ', ' : ''}<span data-student=${p.name}>${p.name}${p.host ? html`<span class="tag">host</span>` : nothing}${this.renderActivity(p)}</span>${v.closed ? nothing : this.renderMove(v, r, p)}`)}</p>` : nothing}
      <div class="found" data-test="room-found"><b>${r.runs} finished run${r.runs === 1 ? '' : 's'} · found ${reachable.filter((o) => r.found.includes(o)).length} of ${reachable.length}</b>
        ${reachable.map((o) => html`<span class="oc small ${r.found.includes(o) ? 'found' : ''}" data-outcome=${o} data-color=${OUTCOME_COLORS[o]} title=${r.found.includes(o) ? `Found: ${OUTCOME_BLURBS[o]}` : 'Reachable, not found yet'}>${OUTCOME_ICONS[o]} ${OUTCOME_NAMES[o]}</span>`)}</div>
      ${r.lastOutcome && !r.ended ? html`<p class="muted">Last finished run: ${OUTCOME_ICONS[r.lastOutcome]} ${OUTCOME_NAMES[r.lastOutcome]}</p>` : nothing}
      ${v.closed ? nothing : html`<div class="tools">
        <button data-test="room-restart" ?disabled=${this.klass.pending} @click=${() => void this.act(this.klass.restart(r.code), `Room ${r.code} starts a new run.`)} title="A new run in this room">Restart room</button>
        <button data-test="room-rotate" ?disabled=${this.klass.pending} @click=${() => void this.act(this.klass.rotate(r.code), `Room ${r.code}: everyone moved to the next seat.`)} title="Everyone to the next seat, in a new run">Rotate roles</button></div>`}
    </article>`;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('bigCode') && this.bigCode) this.renderRoot.querySelector<HTMLButtonElement>('.overlay .back')?.focus();
    // Outcome and actor colours go through the CSSOM (CSP: no style attributes).
    for (const el of this.renderRoot.querySelectorAll<HTMLElement>('[data-color]')) el.style.setProperty('--c', el.dataset.color ?? '');
  }

  /** Pause, the students' leave to use the host's controls, restart and rotate everywhere, and who is where. */
  private renderControls(v: ClassView) {
    const paused = v.controls.paused;
    const n = activityCounts(v.rooms, Date.now() - this.viewAt);
    return html`${paused ? html`<section class="paused-banner card" role="status" data-test="class-paused"><b>The class is paused.</b> Nobody can step and bots wait; press Resume to go on.</section>` : nothing}
      <section class="controls card" aria-label="Class controls">
        <button class=${paused ? 'primary' : ''} data-test=${paused ? 'resume' : 'pause'} ?disabled=${this.klass.pending}
          @click=${() => void this.act(this.klass.controls({ paused: !paused }), paused ? 'The class goes on.' : 'The class is paused.')}>${paused ? 'Resume the class' : 'Pause the class'}</button>
        <label class="toggle" title="Mode, bots, undo and restart in their room"><input type="checkbox" data-test="students-control" .checked=${v.controls.studentsControl} ?disabled=${this.klass.pending}
          @change=${(e: Event) => void this.act(this.klass.controls({ studentsControl: (e.target as HTMLInputElement).checked }), (e.target as HTMLInputElement).checked ? "Students may use their room's controls." : "You hold the rooms' controls again.")} />
          Students may use their room's controls</label>
        <button data-test="restart-all" ?disabled=${this.klass.pending || v.rooms.length === 0} @click=${() => void this.act(this.klass.restart(), 'Every room that had begun starts a new run.')}>Restart every room</button>
        <button data-test="rotate-all" ?disabled=${this.klass.pending || v.rooms.length === 0} @click=${() => void this.act(this.klass.rotate(), 'Everyone moved to the next seat.')} title="Everyone to the next seat (victim → reaper → allocator), in a new run">Rotate roles</button>
        <span class="counts" data-test="activity" aria-label="Students playing, idle and away"><span>${n.playing} playing</span><span>${n.idle} idle</span><span>${n.away} away</span></span>
      </section>`;
  }

  private renderActivity(p: ClassStudentView) {
    const a = activityOf(p, Date.now() - this.viewAt);
    return a.kind === 'playing' ? nothing : html`<span class="act ${a.kind}" data-activity=${a.kind}>${activityWords(a)}</span>`;
  }

  /** Where a student can go: another seat of their room (swapped with its holder), a free seat or the audience of another room. */
  private renderMove(v: ClassView, here: ClassRoomSummary, p: ClassStudentView) {
    const options: { value: string; label: string }[] = [];
    for (const r of v.rooms) {
      for (const role of ACTOR_ROLES) {
        const holder = r.players.find((x) => x.role === role);
        if (r.code === here.code ? role === p.role : holder !== undefined) continue;
        options.push({ value: `${r.code}:${role}`, label: `${r.code === here.code ? 'this room' : `room ${r.code}`}: ${ROLE_NAMES[role]}${holder ? ` (swap with ${holder.name})` : ''}` });
      }
      if (!(r.code === here.code && p.role === 'spectator')) options.push({ value: `${r.code}:spectator`, label: `${r.code === here.code ? 'this room' : `room ${r.code}`}: watch` });
    }
    return html`<select data-test="move" aria-label="Move ${p.name}" ?disabled=${this.klass.pending} @change=${(e: Event) => {
      const el = e.target as HTMLSelectElement;
      const [to, role] = el.value.split(':') as [string, Role];
      el.value = '';
      if (to) void this.act(this.klass.move(here.code, p.id, to, role), `${p.name} moves to ${to === here.code ? 'another seat' : `room ${to}`}.`);
    }}><option value="">Move…</option>${options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}</select>`;
  }

  /** Sends a teacher's request; says what happened, or why not in words. */
  private async act(request: Promise<{ ok: true } | { ok: false; error: ProtocolError } | null>, done: string): Promise<void> {
    const r = await request;
    if (!r) return;
    if (!r.ok) toast(this, sentence(r.error.message), 'error');
    else toast(this, done, 'success');
  }

  private async deleteClass(): Promise<void> {
    if (!confirm('Delete this class with its rooms, every run and the class notebook? This cannot be undone.')) return;
    const r = await this.klass.deleteClass();
    if (!r) return;
    if (!r.ok) { toast(this, r.error.message, 'error'); return; }
    toast(this, `Class deleted with its ${r.data.rooms} room${r.data.rooms === 1 ? '' : 's'}.`, 'success');
    navigate('#/teach');
  }

  private async rekey(): Promise<void> {
    const r = await this.klass.rekey();
    if (r && !r.ok) toast(this, r.error.message, 'error');
    else if (r) toast(this, 'New teacher link made: the old one no longer opens this class.', 'success');
    this.requestUpdate();
  }

  private async stop(): Promise<void> {
    this.confirmStop = false;
    const r = await this.klass.stop();
    if (r && !r.ok) toast(this, r.error.message, 'error');
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-class-dashboard': RlClassDashboard }
}
