// Styles shared by the notebook's cell elements (adopted stylesheets: CSP-safe).
import { css } from 'lit';

export const cellStyles = css`
  :host { display: block; }
  .rendered { font-size: 0.98rem; line-height: 1.55; padding: 4px 2px; }
  .rendered > :first-child { margin-top: 0; }
  .rendered > :last-child { margin-bottom: 0; }
  .rendered h1, .rendered h2, .rendered h3 { margin: 0.6em 0 0.3em; }
  .rendered p { margin: 0.4em 0; }
  .rendered code { font-family: var(--rl-mono); font-size: 0.88em; background: var(--rl-surface-2); padding: 0 4px; border-radius: 3px; }
  .rendered pre { background: var(--rl-surface-2); padding: 8px 10px; border-radius: 6px; overflow: auto; }
  .rendered pre code { background: none; padding: 0; }
  .rendered blockquote { margin: 0.4em 0; padding-left: 12px; border-left: 4px solid var(--rl-line-strong); color: var(--rl-ink-2); }
  .rendered table { border-collapse: collapse; }
  .rendered td, .rendered th { border: 1px solid var(--rl-line); padding: 2px 8px; }
  .label { font-size: 0.78rem; font-weight: 700; color: var(--rl-muted); text-transform: uppercase; letter-spacing: 0.05em; margin: 8px 0 2px; }
  .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
  .small { font-size: 0.85rem; }
  button.small, a.button.small { min-height: 30px; padding: 3px 10px; font-size: 0.85rem; }
`;
