// Styles shared by the elements (adopted stylesheets: CSP-safe). Colours and sizes come
// from the custom properties in theme.css.
import { css } from 'lit';

export const base = css`
  :host { font-family: var(--rl-font); color: var(--rl-ink); }
  *, *::before, *::after { box-sizing: border-box; }
  h1, h2, h3, h4 { margin: 0; line-height: 1.2; }
  p { margin: 0; }
  a { color: var(--rl-accent); }
  a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible, [tabindex]:focus-visible {
    outline: 3px solid var(--rl-focus);
    outline-offset: 2px;
  }
  .card {
    background: var(--rl-surface);
    border: 1px solid var(--rl-line);
    border-radius: var(--rl-radius);
    box-shadow: var(--rl-shadow);
  }
  .muted { color: var(--rl-muted); }
  .mono { font-family: var(--rl-mono); }
  .sr-only {
    position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
    overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }
  button, .button {
    font: inherit;
    font-weight: 600;
    display: inline-flex; align-items: center; justify-content: center; gap: 8px;
    min-height: 36px;
    padding: 6px 14px;
    border-radius: 6px;
    border: 1px solid var(--rl-line-strong);
    background: var(--rl-surface);
    color: var(--rl-ink);
    cursor: pointer;
    text-decoration: none;
    white-space: nowrap;
  }
  button:hover:not(:disabled), .button:hover { background: var(--rl-surface-2); }
  button.primary, .button.primary {
    background: var(--rl-accent); border-color: var(--rl-accent); color: var(--rl-accent-ink);
  }
  button.primary:hover:not(:disabled), .button.primary:hover { background: var(--rl-accent-strong); }
  button.quiet { border-color: transparent; background: transparent; }
  button.quiet:hover:not(:disabled) { background: var(--rl-surface-2); }
  button:disabled { cursor: not-allowed; opacity: 0.55; }
  kbd {
    font-family: var(--rl-mono); font-size: 0.8em; font-weight: 700;
    min-width: 1.6em; padding: 1px 5px; border-radius: 4px;
    border: 1px solid currentColor; border-bottom-width: 2px; text-align: center;
  }
  input, select {
    font: inherit; min-height: 36px; padding: 6px 10px; border-radius: 6px;
    border: 1px solid var(--rl-line-strong); background: var(--rl-surface); color: var(--rl-ink);
  }
  input[type="checkbox"], input[type="radio"] { width: 24px; height: 24px; min-height: 0; margin: 0; padding: 0; flex: none; accent-color: var(--rl-accent); }
  .chip {
    display: inline-flex; align-items: center; gap: 4px; padding: 1px 8px; border-radius: 999px;
    font-size: 0.8rem; font-weight: 600; border: 1px solid var(--rl-line-strong); background: var(--rl-surface-2);
    white-space: nowrap;
  }
  /* a disclosure is a touch target too (24 px at least) */
  summary { cursor: pointer; min-height: 26px; }
  .eyebrow { font-size: 0.75rem; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase; color: var(--rl-muted); }
  svg[class^="plot"] { display: block; height: auto; max-width: 100%; overflow: visible; }
  svg[class^="plot"] text, svg[class^="plot"] tspan { white-space: pre; }
`;

/** The round badge of a finished run (`resultBadge` in lib/labels.ts picks the class): every fill keeps its glyph at ≥ 4.5:1. */
export const badgeStyles = css`
  .badge { flex: none; border-radius: 50%; display: grid; place-items: center; font-weight: 700; color: var(--rl-on-dark); }
  .badge.o-success { background: var(--rl-success); color: var(--rl-ink); }
  .badge.o-needless_kill { background: var(--rl-needless); color: var(--rl-ink); }
  .badge.o-lockup { background: var(--rl-lockup); color: var(--rl-ink); }
  .badge.o-oops { background: var(--rl-oops); color: var(--rl-ink); }
  .badge.o-panic { background: var(--rl-panic); }
  .badge.v-win { background: var(--rl-win); }
  .badge.v-lose { background: var(--rl-danger); }
`;
