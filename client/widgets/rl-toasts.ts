// Toasts: short messages in the bottom right corner (over the game's side column on wide
// screens, never over its interleaving; race notes are not toasts at all), for every rejected action (with the
// server's message) and for confirmations. Errors stay until dismissed or replaced; others
// fade after a few seconds. Announced to screen readers through a live region.
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { sentence } from '../lib/text.js';
import type { ToastKind } from '../lib/toast.js';
import { base } from '../styles/shared.js';


interface Toast { id: number; kind: ToastKind; text: string }

@customElement('rl-toasts')
export class RlToasts extends LitElement {
  static override styles = [base, css`
    :host { position: fixed; right: 16px; bottom: 16px; z-index: 50; display: flex; flex-direction: column; gap: 8px; align-items: stretch; pointer-events: none; width: min(340px, calc(100vw - 32px)); }
    .toast { pointer-events: auto; display: flex; gap: 12px; align-items: flex-start; width: 100%; padding: 10px 12px 10px 16px; border-radius: 8px; background: var(--rl-toast); color: var(--rl-on-dark); box-shadow: 0 8px 24px rgba(0,0,0,0.25); font-size: 0.95rem; border-left: 6px solid var(--rl-accent); }
    .toast.error { border-left-color: var(--rl-oops); }
    .toast.success { border-left-color: var(--rl-success); }
    .toast p { flex: 1; padding-top: 6px; }
    .toast b { margin-right: 6px; }
    button { color: var(--rl-on-dark); border-color: var(--rl-toast-edge); background: transparent; min-height: 30px; }
    button:hover:not(:disabled) { background: var(--rl-toast-hover); }
  `];

  @state() private toasts: Toast[] = [];
  private next = 1;

  show(text: string, kind: ToastKind = 'info'): void {
    const t: Toast = { id: this.next++, kind, text: sentence(text) };
    // One error at a time: a new one replaces the old, so a burst of rejections stays readable.
    this.toasts = [...this.toasts.filter((x) => !(kind === 'error' && x.kind === 'error')), t].slice(-3);
    if (kind !== 'error') setTimeout(() => this.dismiss(t.id), 4000);
    else setTimeout(() => this.dismiss(t.id), 7000);
  }

  clear(): void {
    this.toasts = [];
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  override render() {
    return html`<div role="status" aria-live="polite" class="sr-only">${this.toasts.at(-1)?.text ?? ''}</div>
      ${this.toasts.map((t) => html`<div class="toast ${t.kind}" data-kind=${t.kind}>
        <p><b>${t.kind === 'error' ? 'Not done:' : t.kind === 'success' ? 'Done:' : ''}</b>${t.text}</p>
        <button @click=${() => this.dismiss(t.id)} aria-label="Dismiss">Close</button>
      </div>`)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-toasts': RlToasts }
}
