// The application shell: routes the hash to a screen and hosts the toasts. Screens raise
// `rl-toast` events; the shell shows them. After a screen change the page starts at the top
// and focus moves to the new screen's heading (a screen reader hears where it is; the
// keyboard starts from there), also when a loading heading gives way to the real one.
import { LitElement, css, html } from 'lit';
import { customElement, query } from 'lit/decorators.js';
import { isConfigId, isVariantId } from '../engine/index.js';
import type { Mode } from '../protocol/events.js';
import { RouteController } from './controllers/route-controller.js';
import { base } from './styles/shared.js';
import { screenReady } from './screens.js';
import './screens/rl-lobby.js';
import './widgets/rl-toasts.js';
import type { RlToasts } from './widgets/rl-toasts.js';
import type { ToastDetail } from './lib/toast.js';

@customElement('rl-app')
export class RlApp extends LitElement {
  static override styles = [base, css`
    :host { display: block; min-height: 100vh; }
    .missing, .loading { max-width: 640px; margin: 64px auto; padding: 24px; }
  `];

  private readonly router = new RouteController(this);
  private shownScreen = '';
  /** A screen's code could not be fetched (shown instead of it, with a way to retry). */
  private loadFailed = false;
  private focusRun = 0;
  @query('rl-toasts') private toasts!: RlToasts | null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('rl-toast', (e: Event) => {
      const d = (e as CustomEvent<ToastDetail>).detail;
      this.toasts?.show(d.text, d.kind);
    });
    // A screen that takes over (the end-of-run dialog) clears stale messages first.
    this.addEventListener('rl-toast-clear', () => this.toasts?.clear());
    // The player took over: stop moving focus for them.
    const stop = () => { this.focusRun++; };
    window.addEventListener('keydown', stop, true);
    window.addEventListener('pointerdown', stop, true);
  }

  protected override updated(): void {
    const { screen, segments } = this.router.route;
    const key = `${screen}/${segments.join('/')}`;
    if (key === this.shownScreen) return;
    const first = this.shownScreen === '';
    // #/lesson/<id> becomes #/room/<CODE> once the room exists: the same screen, already focused.
    const same = this.shownScreen.startsWith('lesson/') && screen === 'room';
    this.shownScreen = key;
    if (first || same) return;
    window.scrollTo(0, 0);
    this.focusHeading();
  }

  /** Focuses the screen's first heading for 15 seconds' worth of frames, whenever focus has fallen back to the page. */
  private focusHeading(): void {
    const run = ++this.focusRun;
    // A room can take a while to open on a loaded school server: keep watching for 15 s.
    const until = performance.now() + 15_000;
    const tick = () => {
      if (run !== this.focusRun) return;
      const active = document.activeElement;
      if (!active || active === document.body || active === document.documentElement) {
        const screen = this.renderRoot.firstElementChild;
        const root = screen?.shadowRoot ?? screen;
        const heading = root?.querySelector<HTMLElement>('h1') ?? root?.querySelector<HTMLElement>('h2');
        if (heading) {
          if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
          heading.focus({ preventScroll: true });
        }
      }
      if (performance.now() < until) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  override render() {
    return html`${this.screen()}<rl-toasts></rl-toasts>`;
  }

  private screen() {
    const { screen, segments, query } = this.router.route;
    document.title = this.pageTitle(screen);
    if (this.loadFailed) {
      return html`<main><div class="missing card" role="alert"><h1>Could not load this page</h1><p>The network dropped while the page was fetching its code.</p>
        <p><button class="primary" @click=${() => { this.loadFailed = false; this.requestUpdate(); }}>Try again</button></p></div></main>`;
    }
    if (!screenReady(screen, segments, (error) => { this.loadFailed = error !== undefined; this.requestUpdate(); })) {
      return html`<main><div class="loading card" role="status"><h1>Loading…</h1></div></main>`;
    }
    switch (screen) {
      case 'lobby': return html`<rl-lobby></rl-lobby>`;
      case 'campaign': return html`<rl-campaign></rl-campaign>`;
      case 'glossary': return html`<rl-glossary .focusTerm=${segments[0] ?? ''}></rl-glossary>`;
      // #/lesson/<id> creates a room and moves to #/room/<code>: the same <rl-game> stays.
      case 'lesson': return html`<rl-game .lesson=${segments[0] ?? ''} .code=${''}></rl-game>`;
      case 'room': return html`<rl-game .code=${(segments[0] ?? '').toUpperCase()}></rl-game>`;
      case 'play': {
        const [variant = '', config = '', mode = 'scheduler'] = segments;
        if (!isVariantId(variant) || !isConfigId(config)) return this.missing('That scenario does not exist.');
        return html`<rl-game .scenario=${{ variant, config, mode: (mode === 'race' ? 'race' : 'scheduler') as Mode }}></rl-game>`;
      }
      case 'replay': return html`<rl-replay .segments=${segments} .query=${query}></rl-replay>`;
      // #/mine lists this browser's rooms, runs and notebooks; #/mine/restore/<data> is a recovery link.
      case 'mine': return html`<rl-mine .segments=${segments}></rl-mine>`;
      case 'notebook': return html`<rl-notebook .notebook=${segments[0] ?? 'new'} .query=${query}></rl-notebook>`;
      // #/teach opens a class; #/class/<CODE> (also /c/<CODE>) joins it; #/class/<CODE>/teach is the teacher's dashboard.
      case 'teach': return html`<rl-class-open .lessonId=${segments[0] ?? ''}></rl-class-open>`;
      // #/write writes a lesson in the browser; #/write/<id> opens a saved one (its share link).
      case 'write': return html`<rl-lesson-editor .lessonId=${segments[0] ?? ''} .query=${query}></rl-lesson-editor>`;
      case 'class': return segments[1] === 'teach'
        ? html`<rl-class-dashboard .code=${(segments[0] ?? '').toUpperCase()} .query=${query}></rl-class-dashboard>`
        : html`<rl-class-join .code=${(segments[0] ?? '').toUpperCase()}></rl-class-join>`;
      default: return this.missing(`There is no page called “${screen}”.`);
    }
  }

  private pageTitle(screen: string): string {
    const names: Record<string, string> = { lobby: 'the OOM reaper race, played together', campaign: 'campaign', lesson: 'lesson', room: 'room', play: 'free play', replay: 'replay', notebook: 'notebook', mine: 'my runs and notebooks', teach: 'open a class', class: 'class', write: 'write a lesson' };
    return `reaplab — ${names[screen] ?? 'not found'}`;
  }

  private missing(text: string) {
    return html`<main><div class="missing card" role="alert"><h1>Not found</h1><p>${text}</p><p><a class="button primary" href="#/">Back to the first screen</a></p></div></main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-app': RlApp }
}
