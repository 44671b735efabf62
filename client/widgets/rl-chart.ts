// Hosts a chart built by a pure builder. The element owns only the width: it measures
// itself and calls `build(width)` again when it changes; the builder owns the drawing.
// Height is reserved with `min-height` so charts never make the page jump.
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { base } from '../styles/shared.js';

export type ChartBuilder = (width: number) => Element;

@customElement('rl-chart')
export class RlChart extends LitElement {
  static override styles = [base, css`
    /* Its width comes from its box only (inline-size containment): a chart drawn for a wider
       screen never holds its box open after a resize, so it is always redrawn to fit. */
    :host { display: block; min-height: var(--rl-chart-height, 200px); overflow-x: auto; contain: inline-size; }
    .frame { width: 100%; }
    /* A chart built wider than its box (a long interleaving) scrolls instead of shrinking. */
    .frame svg { max-width: none; }
  `];

  @property({ attribute: false }) build: ChartBuilder | null = null;
  @property() label = '';
  /** Keep the right end in view (the newest steps of a long interleaving). */
  @property({ type: Boolean }) scrollEnd = false;
  /** Or keep this fraction of the width in view (a replay's current step), 0..1. */
  @property({ type: Number }) scrollFraction = -1;
  @state() private width = 0;
  private observer: ResizeObserver | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0 && Math.abs(w - this.width) > 4) this.width = w;
    });
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
  }

  protected override updated(): void {
    // A chart wider than its box scrolls: the keyboard must reach it too (arrow keys scroll).
    if (this.scrollWidth > this.clientWidth + 1) this.setAttribute('tabindex', '0');
    else this.removeAttribute('tabindex');
    if (this.scrollEnd) this.scrollLeft = this.scrollWidth;
    else if (this.scrollFraction >= 0) this.scrollLeft = this.scrollFraction * (this.scrollWidth - this.clientWidth);
  }

  override render() {
    const el = this.build && this.width > 0 ? this.build(this.width) : null;
    return html`<div class="frame" role="figure" aria-label=${this.label}>${el}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-chart': RlChart }
}
