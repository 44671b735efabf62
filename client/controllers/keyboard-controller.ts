// Single-key shortcuts for a view (V, R, A, U, …). Keys typed into a field, or with a
// modifier, are left alone so the shortcuts never eat text or browser shortcuts.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type KeyMap = Record<string, () => void>;

export class KeyboardController implements ReactiveController {
  constructor(host: ReactiveControllerHost, private readonly keys: () => KeyMap) {
    host.addController(this);
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const path = e.composedPath();
    if (path.some((t) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)))) return;
    const action = this.keys()[e.key.toUpperCase()];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  hostConnected(): void { window.addEventListener('keydown', this.onKey); }
  hostDisconnected(): void { window.removeEventListener('keydown', this.onKey); }
}
