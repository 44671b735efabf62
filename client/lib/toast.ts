// The one way any element raises a toast: an `rl-toast` event that bubbles out of shadow
// roots to the app shell, which shows it (client/widgets/rl-toasts.ts draws it).

export type ToastKind = 'info' | 'error' | 'success';

export interface ToastDetail {
  text: string;
  kind: ToastKind;
}

/** Shows `text` as a toast. */
export function toast(from: HTMLElement, text: string, kind: ToastKind = 'info'): void {
  from.dispatchEvent(new CustomEvent<ToastDetail>('rl-toast', { detail: { text, kind }, bubbles: true, composed: true }));
}

/** Clears every toast (a screen that takes over, like the end-of-run dialog). */
export function clearToasts(from: HTMLElement): void {
  from.dispatchEvent(new CustomEvent('rl-toast-clear', { bubbles: true, composed: true }));
}
