// The lesson editor (#/write, #/write/<id>): a teacher writes or uploads a lesson in the
// campaign's YAML format. Every keystroke is parsed with the campaign's own parser
// (lessons/parse.ts); each error is marked in the editor at its line and column and listed
// with a button that puts the cursor there. "Check with the explorer" runs the campaign's
// check of the lesson's expectations (lessons/verify.ts) in a Web Worker; the lesson can be
// saved once the explorer agrees with the text as it stands. "Preview" shows the lesson as a
// player reads it (stories through the same sanitising Markdown renderer as everywhere).
// Saved lessons get a share link, a solo room and "Open a class on it"; the lesson key that
// owns them stays in this browser, and a key link moves it to another.
import '../lib/zod-config.js';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { parseLesson, type LessonError, type ParseResult } from '../../lessons/parse.js';
import { presentLesson } from '../../lessons/present.js';
import type { Lesson } from '../../lessons/schema.js';
import { count } from '../../engine/words.js';
import { navigate } from '../controllers/route-controller.js';
import { OUTCOME_ICONS, OUTCOME_NAMES } from '../lib/labels.js';
import { checkLessonInWorker } from '../lib/lesson-check-client.js';
import type { LessonCheck } from '../lib/lesson-check.js';
import { LESSON_TEMPLATE } from '../lib/lesson-template.js';
import { lessonKey, lessonSource, myLessons, removeLesson, saveLesson, saveLessonKey, type MyLessons } from '../lib/teacher-lessons.js';
import { base } from '../styles/shared.js';
import '../widgets/rl-lesson-panel.js';

const LINE_PX = 20;

/** The offset in `text` of a 1-based line and column. */
export function offsetOf(text: string, line: number, col: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  const end = text.indexOf('\n', off);
  return Math.min(off + col - 1, end < 0 ? text.length : end);
}

@customElement('rl-lesson-editor')
export class RlLessonEditor extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .page { max-width: 1400px; margin: 0 auto; padding: 16px 20px 40px; display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
    h1 { font-size: 1.6rem; }
    .cols { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
    @media (max-width: 900px) { .cols { grid-template-columns: minmax(0, 1fr); } }
    .toolbar { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
    .editor { display: grid; grid-template-columns: auto minmax(0, 1fr); border: 2px solid var(--rl-line); border-radius: 8px; background: var(--rl-surface); height: 62vh; min-height: 320px; overflow: hidden; }
    .editor.invalid { border-color: var(--rl-danger); }
    .gutter, .backdrop, textarea { font: 14px/${LINE_PX}px var(--rl-mono); padding: 8px 0; margin: 0; }
    .gutter { overflow: hidden; background: var(--rl-surface-2); color: var(--rl-ink-2); text-align: right; user-select: none; border-right: 1px solid var(--rl-line); }
    .ln { padding: 0 8px 0 10px; height: ${LINE_PX}px; }
    .ln.bad { background: var(--rl-danger); color: var(--rl-on-dark); font-weight: 700; }
    .area { position: relative; overflow: hidden; }
    .backdrop { position: absolute; inset: 0; overflow: hidden; white-space: pre; color: transparent; pointer-events: none; padding-left: 8px; padding-right: 8px; }
    .backdrop .line { height: ${LINE_PX}px; }
    .backdrop .line.bad { background: var(--rl-danger-soft); }
    .backdrop mark { background: transparent; color: transparent; border-bottom: 3px solid var(--rl-danger); border-left: 2px solid var(--rl-danger); }
    textarea { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; resize: none; background: transparent; white-space: pre; overflow: auto; padding-left: 8px; padding-right: 8px; box-sizing: border-box; color: var(--rl-ink); tab-size: 2; }
    textarea:focus { outline: 3px solid var(--rl-focus); outline-offset: -3px; }
    .status { font-weight: 600; }
    .status.ok { color: var(--rl-win); }
    .errors { margin: 0; padding-left: 1.2em; display: grid; gap: 4px; }
    .errors li { color: var(--rl-danger); }
    .errors button { font-size: 0.85rem; min-height: 0; padding: 1px 8px; margin-right: 6px; }
    table { border-collapse: collapse; font-size: 0.9rem; width: 100%; }
    th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--rl-line); }
    td.bad { color: var(--rl-danger); font-weight: 700; }
    .side { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
    .side section { padding: 12px 14px; display: grid; gap: 8px; }
    .saved { display: grid; gap: 6px; }
    .saved input { width: 100%; font-family: var(--rl-mono); font-size: 0.85rem; }
    .mine { margin: 0; padding: 0; list-style: none; display: grid; gap: 6px; }
    .mine li { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    .tabs { display: flex; flex-wrap: wrap; gap: 6px; }
    .tabs button[aria-pressed="true"] { background: var(--rl-accent); color: var(--rl-accent-ink); }
  `];

  /** The lesson to open (#/write/<id>), or '' for a new one. */
  @property() lessonId = '';
  @property({ attribute: false }) query: URLSearchParams = new URLSearchParams();

  @state() private text = LESSON_TEMPLATE;
  @state() private parsed: ParseResult = parseLesson(LESSON_TEMPLATE, 'lesson.yaml');
  /** The explorer's answer and the text it was given. */
  @state() private check: { text: string; answer: LessonCheck | string } | null = null;
  @state() private checking = false;
  /** The saved lesson this text belongs to (null: not saved yet, or a copy of someone else's). */
  @state() private savedId: string | null = null;
  @state() private savedText = '';
  @state() private mine: MyLessons | null = null;
  @state() private message = '';
  @state() private tab: 'check' | 'preview' = 'check';
  @state() private hints = 0;
  @query('textarea') private area!: HTMLTextAreaElement | null;
  @query('.gutter') private gutter!: HTMLElement | null;
  @query('.backdrop') private backdrop!: HTMLElement | null;
  private parseTimer: ReturnType<typeof setTimeout> | null = null;
  private loadedFor = '';

  override connectedCallback(): void {
    super.connectedCallback();
    const key = this.query.get('key');
    if (key && /^[A-Za-z0-9_-]{16,64}$/.test(key)) {
      saveLessonKey(key);
      navigate('#/write', true);
    }
    void this.refreshMine();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('lessonId') && this.lessonId !== this.loadedFor) {
      this.loadedFor = this.lessonId;
      if (this.lessonId) void this.load(this.lessonId);
    }
  }

  private async load(id: string): Promise<void> {
    const r = await lessonSource(id);
    if (!r.ok) { this.message = r.message; return; }
    this.setText(r.data.yaml);
    await this.refreshMine();
    const own = this.mine?.lessons.some((l) => l.id === id) ?? false;
    this.savedId = own ? id : null;
    this.savedText = own ? r.data.yaml : '';
    this.message = own ? '' : `A copy of “${r.data.title}”: saving it makes a lesson of your own.`;
  }

  private async refreshMine(): Promise<void> {
    if (!lessonKey()) { this.mine = null; return; }
    const r = await myLessons();
    this.mine = r.ok ? r.data : null;
  }

  private setText(text: string): void {
    if (this.parseTimer) clearTimeout(this.parseTimer);
    this.text = text;
    this.parsed = parseLesson(text, 'lesson.yaml');
  }

  private onInput(e: Event): void {
    this.text = (e.target as HTMLTextAreaElement).value;
    if (this.parseTimer) clearTimeout(this.parseTimer);
    this.parseTimer = setTimeout(() => { this.parsed = parseLesson(this.text, 'lesson.yaml'); }, 200);
  }

  private onScroll(): void {
    const a = this.area;
    if (!a) return;
    if (this.gutter) this.gutter.scrollTop = a.scrollTop;
    if (this.backdrop) { this.backdrop.scrollTop = a.scrollTop; this.backdrop.scrollLeft = a.scrollLeft; }
  }

  /** Every error the editor marks: the parser's, or (for the text it checked) the explorer's. */
  private errors(): LessonError[] {
    if (!this.parsed.ok) return this.parsed.errors;
    const c = this.check;
    return c && c.text === this.text && typeof c.answer !== 'string' ? c.answer.problems : [];
  }

  private goTo(e: LessonError): void {
    const a = this.area;
    if (!a) return;
    const off = offsetOf(this.text, e.line, e.col);
    a.focus();
    a.setSelectionRange(off, off);
    a.scrollTop = Math.max(0, (e.line - 4) * LINE_PX);
    this.onScroll();
  }

  private async runCheck(): Promise<void> {
    // The text as it stands now, not as the last (debounced) parse saw it.
    const text = this.text;
    this.setText(text);
    if (!this.parsed.ok) return;
    this.checking = true;
    this.tab = 'check';
    const answer = await checkLessonInWorker(this.parsed.lesson, this.parsed.positions);
    this.checking = false;
    this.check = { text, answer };
  }

  private checkedOk(): boolean {
    const c = this.check;
    return this.parsed.ok && c !== null && c.text === this.text && typeof c.answer !== 'string' && c.answer.ok;
  }

  private async save(asNew: boolean): Promise<void> {
    if (!this.checkedOk()) return;
    const r = await saveLesson(this.text, asNew ? null : this.savedId);
    if (!r.ok) {
      this.message = r.errors?.length ? `The server refused the lesson: ${r.errors[0]!.message}` : r.message;
      return;
    }
    this.savedId = r.data.id;
    this.savedText = this.text;
    this.message = `Saved “${r.data.title}”.`;
    this.loadedFor = r.data.id;
    navigate(`#/write/${r.data.id}`, true);
    await this.refreshMine();
  }

  private async removeSaved(id: string): Promise<void> {
    if (!confirm('Remove this lesson from the server? Its link stops working.')) return;
    const r = await removeLesson(id);
    this.message = r.ok ? 'The lesson was removed.' : r.message;
    if (r.ok && id === this.savedId) { this.savedId = null; this.loadedFor = ''; navigate('#/write', true); }
    await this.refreshMine();
  }

  private async upload(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    if (file.size > 32 * 1024) { this.message = 'That file is larger than a lesson may be (32 kB).'; return; }
    this.setText(await file.text());
    this.savedId = null;
    this.message = `Loaded ${file.name}: saving it makes a new lesson.`;
  }

  override render() {
    const errors = this.errors();
    const lines = this.text.split('\n');
    const bad = new Map(errors.map((e) => [e.line, e]));
    return html`<main class="page">
      <div><a href="#/">← reaplab</a> · <a href="#/teach">Open a class</a></div>
      <h1>Write a lesson</h1>
      <p class="muted">The same YAML as the campaign's lessons (docs/LESSONS.md explains every field). Check it with the explorer, preview it as a player, save it, then play it or open a class on it.</p>
      <div class="toolbar">
        <button class="primary" data-test="check-lesson" ?disabled=${!this.parsed.ok || this.checking} @click=${() => void this.runCheck()}>${this.checking ? 'The explorer is searching…' : 'Check with the explorer'}</button>
        <button data-test="save-lesson" ?disabled=${!this.checkedOk()} @click=${() => void this.save(false)}>${this.savedId ? 'Save changes' : 'Save'}</button>
        ${this.savedId ? html`<button data-test="save-lesson-new" ?disabled=${!this.checkedOk()} @click=${() => void this.save(true)}>Save as a new lesson</button>` : nothing}
        <label class="button quiet">Upload a .yaml file <input class="sr-only" type="file" accept=".yaml,.yml,text/yaml" @change=${(e: Event) => void this.upload(e)} /></label>
        <button class="quiet" @click=${() => { this.setText(LESSON_TEMPLATE); this.savedId = null; this.message = ''; navigate('#/write', true); this.loadedFor = ''; }}>Start from the example</button>
      </div>
      <p class="status ${this.parsed.ok ? 'ok' : ''}" role="status" data-test="lesson-status">${this.statusText(errors)}</p>
      ${this.message ? html`<p role="status" data-test="lesson-message">${this.message}</p>` : nothing}
      <div class="cols">
        <div>
          <div class="editor ${errors.length ? 'invalid' : ''}">
            <div class="gutter" aria-hidden="true">${lines.map((_, i) => html`<div class="ln ${bad.has(i + 1) ? 'bad' : ''}" data-line=${i + 1}>${i + 1}</div>`)}</div>
            <div class="area">
              <div class="backdrop" aria-hidden="true">${lines.map((l, i) => {
                const e = bad.get(i + 1);
                if (!e) return html`<div class="line">${l || ' '}</div>`;
                const at = Math.min(e.col - 1, l.length);
                return html`<div class="line bad" data-test="error-line" data-line=${i + 1}>${l.slice(0, at)}<mark data-col=${e.col}>${l.slice(at, at + 1) || ' '}</mark>${l.slice(at + 1)}</div>`;
              })}</div>
              <textarea aria-label="The lesson's YAML" aria-invalid=${errors.length ? 'true' : 'false'} spellcheck="false" wrap="off" data-test="lesson-yaml"
                .value=${this.text} @input=${this.onInput} @scroll=${this.onScroll}></textarea>
            </div>
          </div>
          ${errors.length ? html`<ol class="errors" data-test="lesson-errors" aria-label="Problems">${errors.map((e) => html`<li>
            <button data-test="goto-error" @click=${() => this.goTo(e)}>Line ${e.line}, column ${e.col}</button>${e.message}</li>`)}</ol>` : nothing}
        </div>
        <div class="side">
          <div class="tabs" role="group" aria-label="Beside the editor">
            <button aria-pressed=${this.tab === 'check'} @click=${() => { this.tab = 'check'; }}>The explorer's answer</button>
            <button aria-pressed=${this.tab === 'preview'} data-test="preview-lesson" ?disabled=${!this.parsed.ok} @click=${() => { this.tab = 'preview'; this.hints = 0; }}>Preview as a player</button>
          </div>
          ${this.tab === 'preview' && this.parsed.ok ? this.preview(this.parsed.lesson) : this.checkView()}
          ${this.savedId ? this.savedView(this.savedId) : nothing}
          ${this.mineView()}
        </div>
      </div>
    </main>`;
  }

  private statusText(errors: LessonError[]): string {
    if (!this.parsed.ok) return `${errors.length} ${errors.length === 1 ? 'problem' : 'problems'} in the YAML: each is marked at its line and column.`;
    if (this.checking) return 'The YAML is a valid lesson; the explorer is checking its expectations…';
    if (this.checkedOk()) return this.savedId && this.savedText === this.text ? 'Saved, and the explorer agrees with it.' : 'The explorer agrees with every expectation: you can save.';
    if (this.check && this.check.text === this.text) return 'The explorer disagrees with the lesson: see the marked lines.';
    return 'The YAML is a valid lesson. Check it with the explorer before saving.';
  }

  private checkView() {
    const c = this.check;
    if (!c) return html`<section class="card"><p class="muted">The explorer searches every interleaving of the lesson's scenario and compares what it finds with the lesson's <code>expect</code>.</p></section>`;
    if (typeof c.answer === 'string') return html`<section class="card" role="alert">${c.answer}</section>`;
    const a = c.answer;
    return html`<section class="card" data-test="explorer-answer" aria-live="polite">
      <p><b>${a.ok ? 'The explorer agrees.' : 'The explorer disagrees.'}</b> ${a.states.toLocaleString('en')} states searched${a.complete ? ', all of them' : ' (budget reached)'}${c.text !== this.text ? ' — for the text before your last change' : ''}.</p>
      <table><thead><tr><th>Outcome</th><th>Lesson says</th><th>Explorer finds</th></tr></thead><tbody>
        ${a.checks.map((k) => html`<tr data-outcome=${k.outcome}><td>${OUTCOME_ICONS[k.outcome]} ${OUTCOME_NAMES[k.outcome]}</td>
          <td>${k.expected ?? '—'}${k.expectedSteps !== null ? `, ${count(k.expectedSteps, 'step')}` : ''}</td>
          <td class=${k.ok ? '' : 'bad'}>${k.reachable ? `reachable${k.steps !== null ? ` in ${count(k.steps, 'step')}` : ''}` : 'unreachable'}</td></tr>`)}
      </tbody></table>
      ${a.solo ? html`<p>Solo learner (${a.solo.seat}): ${a.solo.winnable ? `can win, in ${a.solo.steps} steps at best` : 'cannot win'}.</p>` : nothing}
    </section>`;
  }

  private preview(lesson: Lesson) {
    const shown = presentLesson(lesson);
    return html`<div data-test="lesson-preview" @rl-hint=${(e: CustomEvent<{ shown: number }>) => { this.hints = e.detail.shown; }}>
      <rl-lesson-panel .lesson=${shown} .hints=${this.hints}></rl-lesson-panel></div>`;
  }

  private savedView(id: string) {
    const link = `${location.origin}/#/write/${id}`;
    return html`<section class="card saved" data-test="saved-lesson">
      <b>This lesson on the server</b>
      <label for="share">Share link (anyone with it can read, play and copy the lesson)</label>
      <input id="share" readonly .value=${link} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
      <div class="toolbar">
        <a class="button" data-test="play-lesson" href="#/lesson/${id}">Play it alone</a>
        <a class="button primary" data-test="class-on-lesson" href="#/teach/${id}">Open a class on it</a>
        <button class="quiet" @click=${() => void this.removeSaved(id)}>Remove</button>
      </div>
    </section>`;
  }

  private mineView() {
    const m = this.mine;
    if (!m) return nothing;
    const key = lessonKey();
    return html`<section class="card" data-test="my-lessons">
      <b>Your lessons (${m.used.count} of ${m.quota.count}, ${Math.ceil(m.used.bytes / 1024)} of ${m.quota.bytes / 1024} kB)</b>
      ${m.lessons.length ? html`<ul class="mine">${m.lessons.map((l) => html`<li>
        <a href="#/write/${l.id}">${l.title}</a>
        ${l.classes.length ? html`<span class="chip">class ${l.classes.join(', ')}</span>` : html`<button class="quiet" @click=${() => void this.removeSaved(l.id)}>Remove</button>`}
      </li>`)}</ul>` : html`<p class="muted">None yet.</p>`}
      ${key ? html`<details><summary>Use your lessons on another device</summary>
        <p class="muted">This link holds your lesson key: whoever opens it can change and remove your lessons. Keep it like a password.</p>
        <input readonly .value=${`${location.origin}/#/write?key=${key}`} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} /></details>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-lesson-editor': RlLessonEditor }
}
