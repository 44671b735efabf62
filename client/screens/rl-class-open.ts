// "Open a class" (#/teach): the teacher picks a lesson, how students are grouped and the
// mode, and gets a join code. The class dashboard (#/class/<CODE>/teach) takes over from
// there; the teacher token stays in this browser.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Grouping, LessonListItem, Mode } from '../../protocol/events.js';
import { ClassController } from '../controllers/class-controller.js';
import { navigate } from '../controllers/route-controller.js';
import { lesson as lessonDetail, lessonList, savedName, saveName } from '../lib/api.js';
import { OUTCOME_ICONS, OUTCOME_NAMES, ROLE_NAMES } from '../lib/labels.js';
import { sentence } from '../lib/text.js';
import { base } from '../styles/shared.js';

@customElement('rl-class-open')
export class RlClassOpen extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .page { max-width: 1100px; margin: 0 auto; padding: 20px 24px 40px; display: grid; gap: 12px; }
    h1 { font-size: 1.7rem; }
    .lede { color: var(--rl-ink-2); font-size: 1.05rem; max-width: 52em; }
    form { padding: 20px 24px; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px 28px; align-items: start; }
    .col { display: grid; gap: 16px; }
    .actions, .err { grid-column: 1 / -1; }
    fieldset { border: 0; padding: 0; margin: 0; display: grid; gap: 8px; }
    legend, label.top { font-weight: 700; font-size: 1rem; margin-bottom: 4px; padding: 0; }
    input[type="text"], select { width: 100%; font-size: 1rem; }
    .choices { display: grid; gap: 8px; }
    .choice { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; align-items: start; padding: 8px 12px; border: 2px solid var(--rl-line); border-radius: 8px; cursor: pointer; }
    .choice:has(input:checked) { border-color: var(--rl-accent); background: var(--rl-accent-tint); }
    .choice input { min-height: 0; margin: 4px 0 0; padding: 0; width: 1.1em; height: 1.1em; }
    .choice b { font-size: 1rem; }
    .choice span { grid-column: 2; font-size: 0.9rem; color: var(--rl-ink-2); }
    .goal { padding: 10px 12px; border-radius: 8px; background: var(--rl-surface-2); border: 1px solid var(--rl-line); display: grid; gap: 4px; font-size: 0.95rem; }
    .goal .meta { display: flex; gap: 6px; flex-wrap: wrap; }
    .actions { display: flex; gap: 10px; align-items: center; }
    .actions .primary { font-size: 1.05rem; min-height: 44px; padding: 8px 20px; }
    .err { color: var(--rl-danger); font-weight: 600; }
    .next { margin: 0; padding-left: 1.3em; display: grid; gap: 4px; color: var(--rl-ink-2); font-size: 0.95rem; }
    .next-title { font-weight: 700; font-size: 1rem; }
  `];

  /** A lesson written in the browser to open the class on (#/teach/<id>), else ''. */
  @property() lessonId = '';
  @state() private lessons: LessonListItem[] | null = null;
  @state() private lesson = '';
  @state() private name = savedName();
  @state() private grouping: Grouping = 'auto';
  @state() private mode: Mode = 'race';
  @state() private error = '';
  private readonly klass = new ClassController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void Promise.all([lessonList(), this.lessonId ? lessonDetail(this.lessonId) : null]).then(([r, own]) => {
      if (!r.ok) { this.error = r.message; return; }
      this.lessons = [...r.data].sort((a, b) => a.order - b.order);
      if (own && !own.ok) this.error = own.message;
      if (own?.ok && !this.lessons.some((l) => l.id === own.data.id)) {
        const l = own.data;
        // A lesson written in the browser comes first, as the one asked for.
        this.lessons.unshift({ id: l.id, order: 0, title: l.title, goal: l.goal, mode: l.roles.solo === 'scheduler' ? 'scheduler' : 'race', solo: l.roles.solo });
        this.lesson = l.id;
        this.mode = l.mode;
      }
      // A lesson written for a class (race, every seat a person) is the natural first pick.
      this.lesson ||= (this.lessons.find((l) => l.mode === 'race' && l.solo === 'scheduler') ?? this.lessons[0])?.id ?? '';
    });
  }

  override render() {
    const chosen = this.lessons?.find((l) => l.id === this.lesson);
    return html`<main class="page">
      <div><a href="#/">← reaplab</a></div>
      <h1>Open a class</h1>
      <p class="lede">Your students join with a code on their laptops. They play the lesson in rooms of three, one actor each, and you watch which outcomes each room finds against everything the explorer says is reachable.</p>
      <form class="card" @submit=${this.open} novalidate>
        <div class="col"><div>
          <label class="top" for="teacher">Your name, as students will see it</label>
          <input id="teacher" type="text" maxlength="40" autocomplete="name" required .value=${this.name}
            @input=${(e: Event) => { this.name = (e.target as HTMLInputElement).value; }} />
        </div>
        <div>
          <label class="top" for="lesson">Lesson</label>
          ${this.lessons ? html`<select id="lesson" data-test="class-lesson" @change=${(e: Event) => { this.lesson = (e.target as HTMLSelectElement).value; }}>
            ${this.lessons.map((l) => html`<option value=${l.id} ?selected=${l.id === this.lesson}>${l.order ? `${l.order}. ` : 'Your lesson: '}${l.title}</option>`)}
          </select>` : html`<p class="muted" role="status">Loading the lessons…</p>`}
        </div>
        ${chosen ? html`<div class="goal" aria-live="polite">
          <span><b>Goal:</b> ${chosen.goal.text}</span>
          <span class="meta"><span class="chip">${OUTCOME_ICONS[chosen.goal.outcome]} ${chosen.goal.kind === 'hunt' ? 'find' : 'avoid'}: ${OUTCOME_NAMES[chosen.goal.outcome]}</span>
            <span class="chip">${chosen.mode === 'race' ? 'written for race' : 'written for one scheduler'}</span>
            ${chosen.solo !== 'scheduler' ? html`<span class="chip">solo: the ${ROLE_NAMES[chosen.solo]} against bots</span>` : nothing}</span>
        </div>` : nothing}
        <div><p class="next-title">What happens next</p>
          <ol class="next">
            <li>Put the join code and link on the projector.</li>
            <li>Students open the link, type a name and get an actor; extra students start new rooms.</li>
            <li>Watch each room's runs and which reachable outcomes the class has found.</li>
            <li>Stop the class, then replay the runs side by side in the class notebook.</li>
          </ol></div></div>
        <div class="col"><fieldset>
          <legend>Grouping</legend>
          <div class="choices">
            <label class="choice"><input type="radio" name="grouping" value="auto" ?checked=${this.grouping === 'auto'} @change=${() => { this.grouping = 'auto'; }} />
              <b>Rooms of three</b><span>The server seats each student in the next room with a free actor.</span></label>
            <label class="choice"><input type="radio" name="grouping" value="pick" ?checked=${this.grouping === 'pick'} @change=${() => { this.grouping = 'pick'; }} />
              <b>Students pick</b><span>Students choose a room from a list, or start a new one.</span></label>
          </div>
        </fieldset>
        <fieldset>
          <legend>Mode</legend>
          <div class="choices">
            <label class="choice"><input type="radio" name="mode" value="race" ?checked=${this.mode === 'race'} @change=${() => { this.mode = 'race'; }} />
              <b>Race</b><span>Each student steps their own actor; whoever clicks first goes first.</span></label>
            <label class="choice"><input type="radio" name="mode" value="scheduler" ?checked=${this.mode === 'scheduler'} @change=${() => { this.mode = 'scheduler'; }} />
              <b>Scheduler</b><span>The first student in each room picks who moves next; the others watch and argue.</span></label>
          </div>
        </fieldset></div>
        ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button class="primary" type="submit" data-test="open-class" ?disabled=${!this.lesson || this.klass.pending}>Open the class</button>
          <span class="muted">You get a join code to put on the projector.</span>
        </div>
      </form>
    </main>`;
  }

  private async open(e: Event): Promise<void> {
    e.preventDefault();
    const name = this.name.trim();
    if (!name) { this.error = 'Type your name first: students see who runs the class.'; return; }
    saveName(name);
    this.error = '';
    const r = await this.klass.create(name, this.lesson, this.grouping, this.mode);
    if (!r.ok) { this.error = sentence(r.error.message); return; }
    navigate(`#/class/${r.data.code}/teach`);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-class-open': RlClassOpen }
}
