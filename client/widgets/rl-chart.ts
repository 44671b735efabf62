// Hosts a chart built by a pure builder. The element owns only the width: it measures
// itself and calls `build(charts, width)` again when it changes; the builder owns the
// drawing. The builders (and Plot) are fetched when a chart first comes near the viewport
// (charts/load.ts); until then the element holds a placeholder. Height is reserved with
// `min-height` either way, so neither the placeholder nor the chart makes the page jump.
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { chartsReady, loadCharts, type Charts } from '../charts/load.js';
import { base } from '../styles/shared.js';

export type ChartBuilder = (charts: Charts, width: number) => Element;

/** How far outside the viewport a chart starts fetching the builders. */
const NEAR = '300px';

@customElement('rl-chart')
export class RlChart extends LitElement {
  static override styles = [base, css`
    /* Its width comes from its box only (inline-size containment): a chart drawn for a wider
       screen never holds its box open after a resize, so it is always redrawn to fit. */
    :host { display: block; min-height: var(--rl-chart-height, 200px); overflow-x: auto; contain: inline-size; }
    .frame { width: 100%; }
    /* A chart built wider than its box (a long interleaving) scrolls instead of shrinking. */
    .frame svg { max-width: none; }
    .waiting { min-height: var(--rl-chart-height, 200px); display: flex; align-items: center; justify-content: center; background: var(--rl-surface-2); border-radius: 6px; font-size: 0.9rem; }
  `];

  @property({ attribute: false }) build: ChartBuilder | null = null;
  @property() label = '';
  /** Keep the right end in view (the newest steps of a long interleaving). */
  @property({ type: Boolean }) scrollEnd = false;
  /** Or keep this fraction of the width in view (a replay's current step), 0..1. */
  @property({ type: Number }) scrollFraction = -1;
  @state() private width = 0;
  @state() private charts: Charts | null = null;
  @state() private failed = false;
  private observer: ResizeObserver | null = null;
  private near: IntersectionObserver | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0 && Math.abs(w - this.width) > 4) this.width = w;
    });
    this.observer.observe(this);
    if (this.charts) return;
    void chartsReady.then((charts) => { this.charts = charts; this.failed = false; this.stopWatching(); });
    this.near = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      loadCharts().catch(() => { this.failed = true; });
    }, { rootMargin: NEAR });
    this.near.observe(this);
  }

  private stopWatching(): void {
    this.near?.disconnect();
    this.near = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
    this.stopWatching();
  }

  protected override updated(): void {
    // A chart wider than its box scrolls: the keyboard must reach it too (arrow keys scroll).
    if (this.scrollWidth > this.clientWidth + 1) this.setAttribute('tabindex', '0');
    else this.removeAttribute('tabindex');
    if (this.scrollEnd) this.scrollLeft = this.scrollWidth;
    else if (this.scrollFraction >= 0) this.scrollLeft = this.scrollFraction * (this.scrollWidth - this.clientWidth);
  }

  override render() {
    if (!this.charts) {
      // a failed fetch is tried again when the chart next comes into view
      const words = this.failed ? 'The chart could not be loaded: check the connection.' : 'Drawing the chart…';
      return html`<div class="frame waiting muted" role="figure" aria-label=${this.label} aria-busy=${this.failed ? 'false' : 'true'}>${words}</div>`;
    }
    const el = this.build && this.width > 0 ? this.build(this.charts, this.width) : null;
    return html`<div class="frame" role="figure" aria-label=${this.label}>${el}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-chart': RlChart }
}
