// The teacher link: a secret link (and its QR code, drawn here from the link's text) that
// opens the class dashboard on any device — the projector PC, a phone. Whoever holds it
// has the teacher's powers; "Make a new link" revokes it everywhere and shows the new one.
import { LitElement, css, html, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { encode } from 'uqr';
import { base } from '../styles/shared.js';
import { toast } from '../lib/toast.js';

/** The dashboard link that carries the teacher token (in the fragment: browsers never send it to a server). */
export function teacherLink(origin: string, code: string, token: string): string {
  return `${origin}/#/class/${code}/teach?key=${encodeURIComponent(token)}`;
}

/** A QR code as SVG: one dark square per module, with the quiet zone the standard asks for. */
export function qrSvg(text: string) {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  const cells = [];
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (data[y]![x]) cells.push(`M${x} ${y}h1v1h-1z`);
  return svg`<svg viewBox="0 0 ${size} ${size}" role="img" aria-label="QR code of the teacher link" shape-rendering="crispEdges"><rect width=${size} height=${size} fill="white"/><path d=${cells.join('')} fill="black"/></svg>`;
}

@customElement('rl-teacher-link')
export class RlTeacherLink extends LitElement {
  static override styles = [base, css`
    :host { position: fixed; inset: 0; z-index: 45; background: rgba(20, 24, 31, 0.55); display: grid; place-items: center; padding: 16px; }
    .dialog { width: min(760px, 100%); max-height: calc(100vh - 32px); overflow: auto; padding: 20px 24px; display: grid; gap: 14px; }
    .body { display: grid; grid-template-columns: 240px minmax(0, 1fr); gap: 18px; align-items: start; }
    svg { width: 240px; height: 240px; display: block; }
    .link { font-family: var(--rl-mono); font-size: 0.85rem; word-break: break-all; background: var(--rl-surface-2); padding: 8px; border-radius: 6px; }
    .warn { color: var(--rl-danger); font-weight: 600; }
    .buttons { display: flex; gap: 8px; flex-wrap: wrap; }
    @media (max-width: 640px) { .body { grid-template-columns: minmax(0, 1fr); } }
  `];

  @property() code = '';
  @property() token = '';
  @state() private confirmRekey = false;

  override render() {
    const link = teacherLink(location.origin, this.code, this.token);
    return html`<div class="dialog card" role="dialog" aria-modal="true" aria-labelledby="tl-title" @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.emit('rl-close'); }}>
      <h2 id="tl-title">Teacher link for class ${this.code}</h2>
      <div class="body">
        ${qrSvg(link)}
        <div class="grid">
          <p>Open this link, or scan the code, on the device that should show the dashboard (the projector PC, your phone). It opens this class's dashboard with the teacher's controls.</p>
          <p class="warn">Keep it for yourself: whoever has it can stop the class. Students only need the join code.</p>
          <p class="link" data-test="teacher-link">${link}</p>
        </div>
      </div>
      <div class="buttons">
        <button @click=${() => void this.copy(link)}>Copy the link</button>
        ${this.confirmRekey
          ? html`<span role="group" aria-label="Make a new link?">The old link stops working on every device. <button class="primary" data-test="rekey-now" @click=${() => { this.confirmRekey = false; this.emit('rl-rekey'); }}>Make a new link</button> <button @click=${() => { this.confirmRekey = false; }}>Cancel</button></span>`
          : html`<button data-test="rekey" @click=${() => { this.confirmRekey = true; }}>Revoke it and make a new link…</button>`}
        <button class="close" @click=${() => this.emit('rl-close')}>Close</button>
      </div>
    </div>`;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('button.close')?.focus();
  }

  private emit(type: string) {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }

  private async copy(link: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(link);
      toast(this, 'Teacher link copied.', 'success');
    } catch {
      prompt('Copy the teacher link:', link);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'rl-teacher-link': RlTeacherLink }
}

