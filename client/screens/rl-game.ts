// The game view for one room: an actor panel per actor (code, current line, step button
// with the reason when blocked), the shared state as a picture, the memory chart and the
// swimlanes, the referee, the lesson with hints, a transcript, keyboard control, and the
// end-of-run screen. The RoomController owns the socket; this element renders what the
// server last said and turns clicks and keys into intents.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ActorChoice, OutcomeId } from '../../engine/index.js';
import { variantPrograms } from '../../engine/index.js';
import type { Lesson } from '../../lessons/schema.js';
import type { GameView, LessonListItem, Mode, ProtocolError, RoomView, ScenarioRequest } from '../../protocol/events.js';
import { KeyboardController, type KeyMap } from '../controllers/keyboard-controller.js';
import { RoomController, CONNECTION, hasToken } from '../controllers/room-controller.js';
import { navigate } from '../controllers/route-controller.js';
import { lesson as loadLesson, lessonList, playerName, savedName, saveName } from '../lib/api.js';
import { ACTOR_COLORS, actorKey, actorName, actorRole, OUTCOME_NAMES } from '../lib/labels.js';
import { cssom } from '../lib/cssom.js';
import { runView, type RunView } from '../lib/model.js';
import { lessonProgress, loadProgress, recordHints, recordOutcome } from '../lib/progress.js';
import { shareHash } from '../lib/share.js';
import { legendStyles, memoryLegend } from '../lib/legend.js';
import { sentence } from '../lib/text.js';
import { base } from '../styles/shared.js';
import { mayStep, occupantOf, roleOfActor } from '../../protocol/rules.js';
import type { SeatView, StepDetail } from '../widgets/rl-actor-panel.js';
import '../widgets/rl-actor-panel.js';
import '../widgets/rl-chart.js';
import '../widgets/rl-lesson-panel.js';
import '../widgets/rl-outcome.js';
import '../widgets/rl-referee.js';
import '../widgets/rl-room-admin.js';
import '../widgets/rl-state-view.js';
import '../widgets/rl-transcript.js';
import { clearToasts, toast } from '../lib/toast.js';
import type { Charts } from '../charts/load.js';


@customElement('rl-game')
export class RlGame extends LitElement {
  static override styles = [base, legendStyles, css`
    :host { display: block; }
    .top button, .top .button { min-height: 32px; padding: 4px 10px; font-size: 0.9rem; }
    .top { display: flex; align-items: center; gap: 10px; padding: 6px 16px; background: var(--rl-surface); border-bottom: 1px solid var(--rl-line); min-height: 52px; flex-wrap: wrap; }
    /* the title wraps to a line of its own before it gets narrower than 16em */
    .title { flex: 1 1 16em; min-width: 0; }
    .title h1 { font-size: 1.1rem; }
    .title p { font-size: 0.8rem; }
    .code { font-family: var(--rl-mono); font-weight: 700; letter-spacing: 0.12em; font-size: 1.05rem; }
    .seg { display: inline-flex; border: 1px solid var(--rl-line-strong); border-radius: 6px; overflow: hidden; }
    .seg button { border: 0; border-radius: 0; min-height: 32px; }
    .seg button[aria-pressed="true"] { background: var(--rl-ink); color: var(--rl-on-dark); }
    .status { font-size: 0.8rem; }
    .status.bad { color: var(--rl-danger); font-weight: 700; }
    .layout { display: grid; grid-template-columns: minmax(0, 1fr) 350px; gap: 12px; padding: 12px 16px 24px; align-items: start; }
    main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; min-width: 0; }
    .actors { display: grid; grid-template-columns: repeat(var(--actors, 3), minmax(0, 1fr)); gap: 12px; }
    aside { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; min-width: 0; position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; padding-bottom: 4px; }
    .charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; }
    .charts .card { padding: 10px 14px; min-width: 0; }
    .charts h3 { font-size: 0.95rem; margin-bottom: 4px; display: flex; justify-content: space-between; gap: 8px; align-items: center; }
    .how { padding: 10px 14px; font-size: 0.85rem; }
    .how ul { margin: 4px 0 0; padding-left: 1.2em; }
    .ended { padding: 10px 14px; display: flex; gap: 10px; align-items: center; justify-content: space-between; flex-wrap: wrap; border-left: 6px solid var(--rl-accent); }
    .closed { padding: 10px 14px; margin: 0 16px 8px; border-left: 6px solid var(--rl-danger); }
    .paused { padding: 10px 14px; margin: 0 16px 8px; border-left: 6px solid var(--rl-lockup); }
    button.held { border-style: dashed; }
    .problem { max-width: 640px; margin: 48px auto; padding: 24px; display: grid; gap: 12px; }
    .loading { max-width: 640px; margin: 48px auto; padding: 24px; }
    .jump { display: flex; gap: 6px; align-items: center; font-size: 0.8rem; font-weight: 400; }
    .jump input { width: 4.5em; min-height: 28px; padding: 2px 6px; }
    .jump button { min-height: 28px; padding: 2px 8px; font-size: 0.8rem; }
    rl-chart.mem { --rl-chart-height: 190px; }
    rl-chart.lanes { --rl-chart-height: 190px; }
    .switcher { display: none; }
    .race-note { padding: 8px 12px; border-left: 5px solid var(--rl-accent); background: var(--rl-accent-soft); border-radius: 0 6px 6px 0; font-size: 0.9rem; }
    .race-note[hidden] { display: none; }
    @media (max-width: 1100px) { .layout { grid-template-columns: minmax(0, 1fr); } aside { position: static; max-height: none; } }
    @media (max-width: 900px) { .charts { grid-template-columns: minmax(0, 1fr); } }
    /* Tablets: two actors side by side, the third below. */
    @media (max-width: 820px) { .actors { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
    /* Phones: one actor at a time, picked with the switcher (tabs); every actor's key still steps it. */
    @media (max-width: 640px) {
      .top { padding: 6px 10px; gap: 6px; }
      .title { flex-basis: 100%; }
      .layout { padding: 8px 8px 20px; gap: 8px; }
      .switcher { display: flex; gap: 4px; }
      .switcher button { flex: 1; min-width: 0; min-height: 44px; padding: 4px 6px; white-space: normal; line-height: 1.15; font-size: 0.85rem; border-top: 4px solid var(--actor); }
      .switcher button[aria-pressed="true"] { background: var(--rl-ink); color: var(--rl-on-dark); }
      .switcher .dot { font-size: 0.75rem; font-weight: 400; }
      .actors { grid-template-columns: minmax(0, 1fr); }
      .actors rl-actor-panel:not([data-shown]) { display: none; }
    }
  `];

  /** Room code to join, or '' when creating from `lesson`. */
  @property() code = '';
  /** Lesson id to create a room for (campaign). */
  @property() lesson = '';
  /** Free play: a scenario to create a room for. */
  @property({ attribute: false }) scenario: (ScenarioRequest & { mode: Mode }) | null = null;

  @state() private lessonData: Lesson | null = null;
  @state() private lessons: LessonListItem[] = [];
  @state() private showOutcome = false;
  @state() private hints = 0;
  @state() private jumpTo = 0;
  @state() private storyOpen = true;
  /** Joining by link without a saved name: ask for one first. */
  @state() private askName = false;
  @state() private nameDraft = '';
  /** On a phone: the actor shown (one at a time); '' follows yours, else the first that can move. */
  @state() private pickedActor = '';
  /** The latest race note (who moved first), shown above the actors until the next step of yours. */
  @state() private raceNote = '';
  private storyClosedOnce = false;

  private readonly room = new RoomController(this);
  private view: RunView | null = null;
  private viewKey = '';
  private started = '';

  constructor() {
    super();
    this.room.onError = (e: ProtocolError) => toast(this, e.message, 'error');
    // Who moved first in a race: a line above the actors, never a toast over the board.
    this.room.onNotice = (text: string) => { this.raceNote = text; };
    this.room.onGame = (g, prev) => this.gameChanged(g, prev);
    // The teacher moved this student: the page follows them to their new room and seat.
    this.room.onMoved = (room, role) => {
      toast(this, `Your teacher moved you to room ${room.code}${role === 'spectator' ? ', to watch' : `: you play the ${actorName(role)}`}.`, 'info');
      navigate(`#/room/${room.code}`, true);
    };
    new KeyboardController(this, () => this.keys());
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('code') || changed.has('lesson') || changed.has('scenario')) this.start();
  }

  private start(): void {
    const key = `${this.code}|${this.lesson}|${JSON.stringify(this.scenario)}`;
    if (key === this.started) return;
    // The URL moved from #/lesson/x to #/room/CODE after creating: same room, nothing to do.
    if (this.code && this.room.room?.code === this.code.toUpperCase()) { this.started = key; return; }
    this.started = key;
    if (this.code && !savedName().trim() && !hasToken(this.code)) { this.askName = true; return; }
    if (this.code) void this.room.join(this.code, playerName());
    else if (this.lesson) void this.createForLesson(this.lesson);
    else if (this.scenario) void this.createForScenario(this.scenario);
  }

  private async createForScenario(req: ScenarioRequest & { mode: Mode }): Promise<void> {
    const code = await this.room.create(playerName(), { scenario: { variant: req.variant, config: req.config } }, req.mode);
    if (code) navigate(`#/room/${code}`, true);
  }

  private async createForLesson(id: string): Promise<void> {
    const code = await this.room.create(playerName(), { lesson: id });
    if (code) navigate(`#/room/${code}`, true);
  }

  private gameChanged(g: GameView, prev: GameView | null): void {
    const lessonId = this.room.room?.lesson?.id;
    if (lessonId && this.lessonData?.id !== lessonId) void this.fetchLesson(lessonId);
    if (g.result && (!prev || !prev.result || prev.run !== g.run)) {
      this.showOutcome = true;
      clearToasts(this);
      if (lessonId) {
        recordOutcome(lessonId, g.result.outcome, g.result.verdict === 'win');
        if (g.result.needlessKill) recordOutcome(lessonId, 'needless_kill', false);
      }
    }
    if (!g.result) this.showOutcome = false;
    // The story is read before the first step; then it folds away so the referee and hints show.
    if (g.actions.length > 0 && !this.storyClosedOnce) { this.storyClosedOnce = true; this.storyOpen = false; }
    this.jumpTo = Math.max(0, g.actions.length - 1);
  }

  private async fetchLesson(id: string): Promise<void> {
    const [l, list] = await Promise.all([loadLesson(id), lessonList()]);
    if (l.ok) {
      this.lessonData = l.data;
      this.hints = lessonProgress(loadProgress(), id).hints;
    } else toast(this, l.message, 'error');
    if (list.ok) this.lessons = list.data;
  }

  private runView(g: GameView): RunView {
    const key = `${g.code}|${g.run}|${g.version}|${g.actions.length}`;
    if (key !== this.viewKey || !this.view) {
      this.view = runView(g.state.scenario, g.actions.map((a) => ({ actor: a.actor, step: a.step })));
      this.viewKey = key;
    }
    return this.view;
  }

  // ---- who may do what -------------------------------------------------------------

  private controllable(actor: string): boolean {
    const room = this.room.room;
    if (!room || this.room.status !== CONNECTION.joined) return false;
    const me = this.room.me?.playerId;
    return me !== undefined && mayStep(room, me, actor).ok;
  }

  private seat(actor: string, room: RoomView): SeatView {
    if (room.mode === 'scheduler') {
      if (this.room.isHost) return { kind: 'scheduler' };
      const host = room.players.find((p) => p.id === room.hostId);
      return { kind: 'human', name: host ? `${host.name} schedules` : 'the host schedules' };
    }
    const o = occupantOf(room, roleOfActor(actor));
    if (o.kind === 'player') return o.player.id === this.room.me?.playerId ? { kind: 'you' } : { kind: 'human', name: o.player.name };
    return o;
  }

  /** The lesson's note on the actor's current step (code_notes are keyed by step name). */
  private codeNote(c: ActorChoice): string {
    const notes = this.lessonData?.code_notes;
    if (!notes || !c.step) return '';
    return notes[c.step] ?? notes[c.step.replace(/:\d+$/, '')] ?? '';
  }

  private keys(): KeyMap {
    if (this.room.room?.classClosed) return {};
    const g = this.room.game;
    if (!g || this.showOutcome) return {};
    const map: KeyMap = {};
    for (const c of g.choices) map[actorKey(c.actor)] = () => this.step(c);
    if (this.room.isHost) map.U = () => void this.undo();
    return map;
  }

  private step(c: ActorChoice): void {
    if (this.room.pending || this.room.acting) return;
    if (!this.controllable(c.actor)) {
      const room = this.room.room;
      toast(this, room?.mode === 'scheduler'
        ? 'In scheduler mode only the host picks the next step.'
        : `${actorName(c.actor)} is not your actor. Claim it first, or step your own.`, 'error');
      return;
    }
    if (!c.enabled) {
      toast(this, `${actorName(c.actor)} cannot step now: ${c.reason ?? 'blocked'}.`, 'error');
      return;
    }
    this.raceNote = '';
    void this.room.act(c.actor, c.step);
  }

  private async undo(): Promise<void> {
    const g = this.room.game;
    if (!g || g.actions.length === 0) { toast(this, 'Nothing to undo yet: take a step first.', 'info'); return; }
    await this.room.undo();
  }

  private shareUrl(g: GameView): string {
    const hash = shareHash({ scenario: g.state.scenario, actions: g.actions.map((a) => ({ actor: a.actor, step: a.step })), ...(this.room.room?.lesson ? { lesson: this.room.room.lesson.id } : {}) });
    return `${location.origin}/${hash}`;
  }

  private async share(g: GameView): Promise<void> {
    const url = this.shareUrl(g);
    try {
      await navigator.clipboard.writeText(url);
      toast(this, 'A link to this run is on your clipboard. Whoever opens it can replay it step by step.', 'success');
    } catch {
      toast(this, `Copy this link: ${url}`, 'info');
    }
  }

  private async copyJoin(room: RoomView): Promise<void> {
    // The server's join link (/r/CODE) opens this room's page directly.
    const url = `${location.origin}${room.link.startsWith('/') ? room.link : `/#/room/${room.code}`}`;
    try {
      await navigator.clipboard.writeText(url);
      toast(this, `Join link copied. Others can also type the code ${room.code} on the first screen.`, 'success');
    } catch {
      toast(this, `Share the code ${room.code} or this link: ${url}`, 'info');
    }
  }

  // ---- rendering -------------------------------------------------------------------

  override render() {
    const { room, game, status, problem } = this.room;
    if (this.askName) {
      return html`<main><form class="problem card" @submit=${(e: Event) => {
        e.preventDefault();
        const name = this.nameDraft.trim();
        if (!name) return;
        saveName(name);
        this.askName = false;
        void this.room.join(this.code, name);
      }}>
        <h1>Join room <span class="code">${this.code}</span></h1>
        <p class="muted">You were invited to play the Linux OOM reaper race together: each player steps one actor of the kernel.</p>
        <label for="join-name">Your name, as the other players will see it</label>
        <input id="join-name" maxlength="40" autocomplete="nickname" required .value=${this.nameDraft}
          @input=${(e: Event) => { this.nameDraft = (e.target as HTMLInputElement).value; }} />
        <p><button class="primary" type="submit" ?disabled=${!this.nameDraft.trim()}>Join</button> <a class="button" href="#/">Cancel</a></p>
      </form></main>`;
    }
    if (problem && (status === CONNECTION.failed || status === CONNECTION.left)) {
      return html`<main><div class="problem card" role="alert">
        <h1>${status === CONNECTION.left ? 'You left this room' : 'Could not open the room'}</h1>
        <p>${sentence(problem.message)}</p>
        <p><a class="button primary" href="#/">Back to the first screen</a> ${this.code ? html`<button @click=${() => { this.started = ''; this.room.problem = null; this.start(); }}>Try again</button>` : nothing}</p>
      </div></main>`;
    }
    if (!room || !game) {
      return html`<main><div class="loading card" role="status">
        <h1>${this.lesson ? 'Setting up the lesson…' : this.code ? `Joining room ${this.code}…` : 'Setting up your room…'}</h1>
        ${this.renderRetry(status)}
      </div></main>`;
    }
    const v = this.runView(game);
    const programs = variantPrograms(game.state.scenario.variant);
    const ended = game.result !== null;
    const shown: OutcomeId[] = [...(game.state.needlessKill ? ['needless_kill' as const] : []), ...(game.result ? [game.result.outcome] : [])];
    const actors = game.choices.map((c) => c.actor);
    const lastActor = game.actions.at(-1)?.actor;
    const need = game.state.scenario.config.need[0] ?? 0;
    const control = this.room.mayControl;
    const paused = room.classControls?.paused === true && !room.classClosed;
    const next = this.nextLesson();
    this.style.setProperty('--actors', String(actors.length));
    return html`
      ${this.renderTop(room, game)}
      ${paused ? html`<p class="paused card" role="status" data-test="class-paused"><b>Your teacher paused the class.</b> Nobody steps until it resumes; the board stays as it is.</p>` : nothing}
      ${room.classClosed ? html`<p class="closed card" role="alert" data-test="class-stopped"><b>Your teacher has stopped the class.</b> The board stays as it is; every run is in the <a href="#/notebook/class-${room.classCode}">class notebook</a>.</p>` : nothing}
      <div class="layout">
        <main ?inert=${room.classClosed === true}>
          <rl-state-view .state=${game.state}></rl-state-view>
          <p class="race-note" role="status" aria-live="polite" ?hidden=${!this.raceNote}>${this.raceNote}</p>
          ${this.renderSwitcher(game)}
          <div class="actors" @rl-step=${(e: CustomEvent<StepDetail>) => { const c = game.choices.find((x) => x.actor === e.detail.actor); if (c) this.step(c); }}
            @rl-claim=${(e: CustomEvent<{ actor: string }>) => void this.room.claim(actorRole(e.detail.actor))}
            @rl-release=${() => void this.room.release()}>
            ${game.choices.map((c) => html`<rl-actor-panel
              data-actor=${c.actor} ?data-shown=${c.actor === this.shownActor(game)}
              .choice=${c}
              .listing=${c.role === 'victim' ? programs.victim.listing : c.role === 'reaper' ? programs.reaper.listing : programs.allocator.listing}
              .seat=${this.seat(c.actor, room)}
              note=${this.codeNote(c)}
              ?notes=${Boolean(this.lessonData?.code_notes)}
              ?controllable=${this.controllable(c.actor)}
              ?busy=${this.room.pending || this.room.acting}
              ?last=${c.actor === lastActor}
              ?ended=${ended}></rl-actor-panel>`)}
          </div>
          ${ended && !this.showOutcome ? html`<div class="ended card" role="status">
            <span><b>The run has ended: ${OUTCOME_NAMES[game.result!.outcome]}.</b> ${game.result!.text}</span>
            <span><button @click=${() => { this.showOutcome = true; }}>Show what happened</button>
            ${control ? html`<button class="primary" @click=${() => void this.room.restart()}>Play again</button>` : nothing}</span>
          </div>` : nothing}
          <div class="charts">
            <section class="card"><h3>Memory over the steps</h3>
              <rl-chart class="mem" label="Memory over the steps" .build=${(c: Charts, w: number) => c.memoryChart({ rows: v.memory, marks: v.marks, need }, { width: w, height: 190 })}></rl-chart>${memoryLegend()}
            </section>
            <section class="card"><h3>The interleaving ${control && game.actions.length > 0 ? this.renderJump(game) : nothing}</h3>
              <rl-chart scrollEnd class="lanes" label="Swimlanes: who stepped when" .build=${(c: Charts, w: number) => c.swimlanesChart({ actors, cells: v.lanes, outcome: game.result?.outcome ?? null }, { width: c.swimlanesWidth(w, Math.max(v.lanes.length, 12)), height: 190, minSteps: 12 })}></rl-chart>
            </section>
          </div>
        </main>
        <aside>
          <rl-lesson-panel .lesson=${this.lessonData} .ref=${room.lesson} .hints=${this.hints} .storyOpen=${this.storyOpen}
            @rl-hint=${(e: CustomEvent<{ shown: number }>) => { this.hints = e.detail.shown; if (room.lesson) recordHints(room.lesson.id, this.hints); }}></rl-lesson-panel>
          ${room.lesson ? nothing : this.renderFreePlay(game)}
          <rl-referee .referee=${game.referee} .goal=${room.lesson?.goal ?? null} .shown=${shown}></rl-referee>
          ${this.renderHow(room)}
          <rl-room-admin .room=${room} .controller=${this.room} ?pending=${this.room.pending}></rl-room-admin>
          <rl-transcript .lines=${v.transcript} ending=${game.result ? `Run over: ${OUTCOME_NAMES[game.result.outcome]}. ${game.result.text}` : ''}></rl-transcript>
        </aside>
      </div>
      ${this.showOutcome && game.result ? html`<rl-outcome
        .result=${game.result} .lesson=${this.lessonData} .view=${v} .actors=${actors} .need=${need}
        .variantSources=${programs.source.sources} summary=${programs.source.summary}
        ?canRestart=${control} nextLesson=${game.result.verdict === 'win' && !room.classCode ? next : ''}
        room=${room.code} classCode=${room.classCode ?? ''}
        @rl-close=${() => this.closeOutcome()}
        @rl-restart=${() => void this.room.restart()}
        @rl-share=${() => void this.share(game)}></rl-outcome>` : nothing}
    `;
  }

  /** The actor a phone shows: the one picked, else yours, else the first that can move. */
  private shownActor(game: GameView): string {
    const actors = game.choices.map((c) => c.actor);
    if (actors.includes(this.pickedActor as never)) return this.pickedActor;
    const mine = game.choices.find((c) => c.role === this.room.myRole);
    return (mine ?? game.choices.find((c) => c.enabled) ?? game.choices[0])?.actor ?? '';
  }

  /** Phones show one actor at a time: these buttons pick which (hidden on wider screens). */
  private renderSwitcher(game: GameView) {
    const shown = this.shownActor(game);
    return html`<div class="switcher" role="group" aria-label="Show one actor">
      ${game.choices.map((c) => html`<button aria-pressed=${c.actor === shown ? 'true' : 'false'}
        ${cssom({ '--actor': ACTOR_COLORS[actorRole(c.actor)] })} @click=${() => { this.pickedActor = c.actor; }}>
        ${actorName(c.actor)}<br /><span class="dot">${c.role === this.room.myRole ? 'yours · ' : ''}${c.enabled ? 'can move' : 'blocked'}</span></button>`)}
    </div>`;
  }

  /** Closes the end-of-run dialog; focus goes back where it was, else to "Show what happened". */
  private closeOutcome(): void {
    this.showOutcome = false;
    void this.updateComplete.then(() => {
      const active = document.activeElement;
      if (!active || active === document.body) this.renderRoot.querySelector<HTMLElement>('.ended button')?.focus();
    });
  }

  /** While the room cannot be opened: what is happening, and when the next attempt comes. */
  private renderRetry(status: string) {
    const retry = this.room.retry;
    if (status !== CONNECTION.reconnecting || !retry) return html`<p class="muted">Connecting to the server.</p>`;
    const secs = Math.max(0, Math.ceil((retry.at - Date.now()) / 1000));
    return html`<p>The server has not answered yet. ${secs > 0 ? `Trying again in ${secs} s` : 'Trying again now'} (attempt ${retry.attempt}).</p>
      <p><button @click=${() => this.room.retryNow()}>Try now</button> <a class="button quiet" href="#/">Back to the first screen</a></p>`;
  }

  protected override updated(): void {
    if (this.askName) this.renderRoot.querySelector<HTMLInputElement>('#join-name')?.focus();
  }

  private nextLesson(): string {
    const id = this.room.room?.lesson?.id;
    if (!id || this.lessons.length === 0) return '';
    const sorted = [...this.lessons].sort((a, b) => a.order - b.order);
    const i = sorted.findIndex((l) => l.id === id);
    return i >= 0 ? (sorted[i + 1]?.id ?? '') : '';
  }

  private renderTop(room: RoomView, game: GameView) {
    const host = this.room.isHost;
    // A class student who hosts the room while the teacher keeps its controls sees them locked:
    // pressing one asks the server, whose refusal says why in words.
    const held = host && this.room.teacherHolds;
    const heldTitle = "In this class your teacher holds the room's controls";
    const status = this.room.status;
    const sc = game.state.scenario;
    const variant = variantPrograms(sc.variant).source;
    return html`<header class="top">
      <a href="#/" class="button quiet" aria-label="Back to the first screen">← reaplab</a>
      <div class="title">
        <h1>${room.lesson?.title ?? variant.title}</h1>
        <p class="muted">${room.classCode ? `Class ${room.classCode} · ` : ''}${variant.title} · ${sc.config.title}</p>
      </div>
      ${host && !held ? html`<div class="seg" role="group" aria-label="Mode">
        ${(['scheduler', 'race'] as Mode[]).map((m) => html`<button aria-pressed=${room.mode === m ? 'true' : 'false'} title=${m === 'scheduler' ? 'You pick which actor moves next' : 'Each player steps their own actor'} @click=${() => { if (room.mode !== m) void this.room.setMode(m); }}>${m === 'scheduler' ? 'Scheduler' : 'Race'}</button>`)}
      </div>` : html`<span class="chip">${room.mode === 'scheduler' ? 'Scheduler mode' : 'Race mode'}</span>`}
      <span>Room <span class="code" data-room-code>${room.code}</span></span>
      <button @click=${() => void this.copyJoin(room)} title="Copy a link others can open to join">Invite</button>
      <button @click=${() => void this.share(game)} ?disabled=${game.actions.length === 0} title="Copy a link that replays this run">Share run</button>
      <a class="button" href="#/notebook/room-${room.code}" title="This room's notebook: every finished run is recorded there, replayable">Notebook</a>
      ${host ? html`
        <button class=${held ? 'held' : ''} data-test="undo" @click=${() => void this.undo()} ?disabled=${game.actions.length === 0 || this.room.pending} aria-keyshortcuts="U" title=${held ? heldTitle : 'Take back the last step'}><kbd aria-hidden="true">U</kbd> Undo</button>
        <button class=${held ? 'held' : ''} data-test="restart" @click=${() => void this.room.restart()} ?disabled=${game.actions.length === 0 || this.room.pending} title=${held ? heldTitle : 'Start a new run'}>Restart</button>` : nothing}
      <span class="status ${status === CONNECTION.joined ? '' : 'bad'}" role="status">${status === CONNECTION.joined ? `step ${game.actions.length} · run ${game.run}` : 'reconnecting…'}</span>
    </header>`;
  }

  private renderJump(game: GameView) {
    return html`<span class="jump"><label for="jump">Back to step</label>
      <input id="jump" type="number" min="0" max=${game.actions.length - 1} .value=${String(this.jumpTo)}
        @change=${(e: Event) => { this.jumpTo = Number((e.target as HTMLInputElement).value); }} />
      <button @click=${() => void this.room.jump(Math.max(0, Math.min(this.jumpTo, game.actions.length)))}>Go</button></span>`;
  }

  private renderFreePlay(game: GameView) {
    const source = variantPrograms(game.state.scenario.variant).source;
    return html`<section class="card how"><p class="eyebrow">Free play · ${source.date}</p><h3>${source.title}</h3><p>${source.summary}</p></section>`;
  }

  private renderHow(room: RoomView) {
    const mine = room.mode === 'race' ? this.room.myRole : null;
    return html`<section class="card how" aria-label="How to play">
      <h3>How to play</h3>
      <ul>
        ${room.mode === 'scheduler'
          ? html`<li>You are the <b>scheduler</b>: press any actor's step button, or its key (<kbd>V</kbd> <kbd>R</kbd> <kbd>A</kbd>), to move it one step.</li>`
          : html`<li>Race: each player steps ${mine && mine !== 'spectator' ? html`their own actor — yours is the <b>${actorName(mine)}</b> (key <kbd>${actorKey(mine)}</kbd>)` : 'their own actor. Claim a free one to play'}. Whoever clicks first goes first.</li>`}
        <li>The line under a grey button says why the actor is blocked. The highlighted line is the code it runs next.</li>
        ${this.room.isHost && room.mode === 'race' ? html`<li>As the host you may also step a seat nobody plays (no player, no bot).</li>` : nothing}
        ${this.room.teacherHolds ? html`<li data-test="teacher-holds">In this class your teacher holds the room's controls (mode, bots, undo, restart).</li>`
          : this.room.isHost ? html`<li><kbd>U</kbd> undoes the last step.</li>` : nothing}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-game': RlGame }
}
