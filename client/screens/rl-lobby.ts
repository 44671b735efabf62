// The first screen: one sentence on what reaplab is, then the three ways in — play the
// campaign, join a room (or a class) by its code, open a notebook — plus a name (kept in
// this browser; a named player's progress is also kept by the server), free play for any
// scenario, and the teacher's way in: open a class.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { CONFIG_IDS, CONFIGS, VARIANT_IDS, VARIANTS } from '../../engine/index.js';
import type { ConfigId, VariantId } from '../../engine/index.js';
import type { LessonListItem, Mode } from '../../protocol/events.js';
import { navigate } from '../controllers/route-controller.js';
import { codeKind, lessonList, savedName, saveName } from '../lib/api.js';
import { lessonProgress, loadProgress } from '../lib/progress.js';
import { currentTheme, setTheme } from '../lib/theme.js';
import { base } from '../styles/shared.js';

const CODE_RE = /^[A-Za-z0-9]{4,8}$/;

@customElement('rl-lobby')
export class RlLobby extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .page { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; display: grid; gap: 20px; }
    .hero { display: grid; gap: 10px; }
    .brand { display: flex; align-items: center; gap: 10px; font-weight: 800; font-size: 1.1rem; letter-spacing: 0.02em; }
    .logo { width: 36px; height: 36px; border-radius: 8px; background: var(--rl-logo); display: grid; place-items: center; color: var(--rl-logo-ink); font-weight: 900; }
    h1 { font-size: 1.65rem; max-width: 34em; line-height: 1.3; }
    .lede { font-size: 1.05rem; color: var(--rl-ink-2); max-width: 48em; }
    .ways { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 16px; }
    .way { padding: 18px 20px; display: flex; flex-direction: column; gap: 10px; }
    .way h2 { font-size: 1.2rem; }
    .way p { color: var(--rl-ink-2); font-size: 0.95rem; flex: 1; }
    .way form { display: flex; gap: 8px; }
    .way input { flex: 1; min-width: 0; }
    .way input.code { text-transform: uppercase; font-family: var(--rl-mono); letter-spacing: 0.15em; }
    .err { color: var(--rl-danger); font-size: 0.85rem; min-height: 1.3em; }
    .row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
    .box { padding: 16px 20px; display: grid; gap: 10px; align-content: start; }
    .box h2 { font-size: 1.05rem; }
    label { font-weight: 600; font-size: 0.9rem; }
    .name { display: flex; gap: 8px; }
    .name input { flex: 1; }
    .free { display: grid; grid-template-columns: minmax(0, 1.4fr) minmax(0, 1fr) auto; gap: 8px; align-items: end; }
    /* the version's title is long: it gets a row of its own, so no choice is shown cut */
    .free label.variant { grid-column: 1 / -1; }
    .free label { display: grid; gap: 4px; }
    .free select { width: 100%; }
    .progress { display: flex; align-items: center; gap: 10px; }
    .meter { flex: 1; height: 10px; border-radius: 5px; background: var(--rl-surface-2); border: 1px solid var(--rl-line); overflow: hidden; display: flex; }
    .meter span { flex: 1; border-right: 2px solid var(--rl-surface); }
    .meter span.on { background: var(--rl-success); }
    .hint { font-size: 0.85rem; }
    .teach { font-size: 0.95rem; color: var(--rl-ink-2); }
    .check { display: flex; gap: 8px; align-items: center; font-weight: 400; }
    .check input { width: 24px; height: 24px; min-height: 0; margin: 0; }
    @media (max-width: 900px) { .ways { grid-template-columns: minmax(0, 1fr); } .row { grid-template-columns: minmax(0, 1fr); } }
    @media (max-width: 640px) {
      .page { padding: 16px 12px 32px; }
      h1 { font-size: 1.3rem; }
      .free { grid-template-columns: minmax(0, 1fr); }
    }
  `];

  @state() private name = savedName();
  @state() private code = '';
  @state() private codeError = '';
  @state() private notebook = '';
  @state() private lessons: LessonListItem[] | null = null;
  @state() private lessonsError = '';
  @state() private variant: VariantId = 'rfc-v1';
  @state() private config: ConfigId = 'pgtable-heavy';
  @state() private mode: Mode = 'scheduler';

  override connectedCallback(): void {
    super.connectedCallback();
    void lessonList().then((r) => { if (r.ok) this.lessons = r.data; else this.lessonsError = r.message; });
  }

  override render() {
    const progress = loadProgress();
    const done = this.lessons?.filter((l) => lessonProgress(progress, l.id).done).length ?? 0;
    const total = this.lessons?.length ?? 0;
    const next = this.lessons?.slice().sort((a, b) => a.order - b.order).find((l) => !lessonProgress(progress, l.id).done);
    return html`<main class="page">
      <section class="hero">
        <div class="brand"><span class="logo" aria-hidden="true">▲</span> reaplab</div>
        <h1>Play the 2018 Linux race between the OOM reaper and a dying task's <code>exit_mmap()</code>: you choose who runs next, and the kernel survives or oopses.</h1>
        <p class="lede">Three actors — the victim, the OOM reaper and an allocator — take one step at a time on a small model of the real kernel code. Play alone as the scheduler, or with friends, one actor each.</p>
        <p class="teach">Teaching? <a href="#/teach" data-test="open-class-link">Open a class</a>: students join with one code and play in rooms of three while you watch what each room finds.</p>
      </section>
      <section class="ways" aria-label="Ways in">
        <div class="way card">
          <h2>Play the campaign</h2>
          <p>Short lessons that follow the real patch thread, from a two-minute tutorial to the bugs that reviewers found.</p>
          ${total ? html`<div class="progress"><div class="meter" role="progressbar" aria-valuemin="0" aria-valuemax=${total} aria-valuenow=${done} aria-label="Lessons done">${Array.from({ length: total }, (_, i) => html`<span class=${i < done ? 'on' : ''}></span>`)}</div><span class="muted">${done} of ${total} done</span></div>` : nothing}
          <a class="button primary" href="#/campaign" data-test="play-campaign">${done > 0 && next ? `Continue: ${next.title}` : 'Play the campaign'}</a>
        </div>
        <div class="way card">
          <h2>Join a room or class</h2>
          <p>Someone shared a room code, or your teacher put a class code on the board? Type it here.</p>
          <form @submit=${this.join} novalidate>
            <input class="code" aria-label="Room or class code" placeholder="K7QX2M" maxlength="8" autocomplete="off" spellcheck="false"
              .value=${this.code} @input=${(e: Event) => { this.code = (e.target as HTMLInputElement).value.trim(); this.codeError = ''; }} />
            <button class="primary" type="submit">Join</button>
          </form>
          <p class="err" role="alert">${this.codeError}</p>
        </div>
        <div class="way card">
          <h2>Open a notebook</h2>
          <p>Write up runs with others: notes, replayable traces and the explorer, in one shared page.</p>
          <form @submit=${this.openNotebook} novalidate>
            <input aria-label="Notebook id (leave empty for a new one)" placeholder="new notebook" maxlength="40" autocomplete="off"
              .value=${this.notebook} @input=${(e: Event) => { this.notebook = (e.target as HTMLInputElement).value.trim(); }} />
            <button type="submit">Open</button>
          </form>
          <p class="err"></p>
        </div>
      </section>
      <section class="row">
        <div class="box card">
          <h2>Your name</h2>
          <label for="name">Shown to other players. With a name, the server also keeps your campaign progress.</label>
          <div class="name">
            <input id="name" maxlength="40" placeholder="Guest" autocomplete="nickname" .value=${this.name}
              @input=${(e: Event) => { this.name = (e.target as HTMLInputElement).value; }} @change=${() => saveName(this.name)} />
            <button @click=${() => saveName(this.name)}>Save</button>
          </div>
          <p class="hint"><a href="#/mine" data-test="mine-link">My runs and notebooks</a>: what this browser played and wrote, and a link that moves it to another browser.</p>
          <label class="hint check"><input type="checkbox" data-test="projector-theme" .checked=${currentTheme() === 'projector'}
            @change=${(e: Event) => setTheme((e.target as HTMLInputElement).checked ? 'projector' : 'default')} /> Projector theme: larger text, stronger lines</label>
          ${this.lessonsError ? html`<p class="hint err">${this.lessonsError}</p>` : nothing}
        </div>
        <div class="box card">
          <h2>Free play</h2>
          <p class="hint muted">Any kernel version or patch × any starting memory layout, in a room of your own.</p>
          <div class="free">
            <label class="variant">Version or patch
              <select data-test="free-variant" @change=${(e: Event) => { this.variant = (e.target as HTMLSelectElement).value as VariantId; }}>
                ${VARIANT_IDS.map((v) => html`<option value=${v} ?selected=${v === this.variant}>${VARIANTS[v].title}</option>`)}
              </select></label>
            <label>Memory layout
              <select data-test="free-config" @change=${(e: Event) => { this.config = (e.target as HTMLSelectElement).value as ConfigId; }}>
                ${CONFIG_IDS.map((c) => html`<option value=${c} ?selected=${c === this.config} title=${CONFIGS[c].title}>${c}</option>`)}
              </select></label>
            <label>Mode
              <select data-test="free-mode" @change=${(e: Event) => { this.mode = (e.target as HTMLSelectElement).value as Mode; }}>
                <option value="scheduler" ?selected=${this.mode === 'scheduler'}>Scheduler</option>
                <option value="race" ?selected=${this.mode === 'race'}>Race</option>
              </select></label>
            <button data-test="free-start" @click=${this.freePlay}>Start</button>
          </div>
          <p class="hint muted">${CONFIGS[this.config].title}.</p>
        </div>
      </section>
    </main>`;
  }

  private async join(e: Event) {
    e.preventDefault();
    if (!CODE_RE.test(this.code)) {
      this.codeError = this.code ? 'A code is 4 to 8 letters or digits, like K7QX2M.' : 'Type the room or class code first.';
      return;
    }
    saveName(this.name);
    const code = this.code.toUpperCase();
    // Room and class codes never collide: a class code opens the class's join page.
    const k = await codeKind(code);
    if (k.ok && k.data.kind === 'none') {
      this.codeError = `No room or class has the code ${code}. Check it with whoever shared it.`;
      return;
    }
    navigate(k.ok && k.data.kind === 'class' ? `#/class/${code}` : `#/room/${code}`);
  }

  private openNotebook(e: Event) {
    e.preventDefault();
    const id = this.notebook.replace(/[^A-Za-z0-9_-]/g, '') || `nb-${Math.random().toString(36).slice(2, 10)}`;
    navigate(`#/notebook/${id}`);
  }

  private freePlay() {
    saveName(this.name);
    navigate(`#/play/${this.variant}/${this.config}/${this.mode}`);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-lobby': RlLobby }
}
