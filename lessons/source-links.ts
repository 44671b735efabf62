// Links for the kernel sources a lesson cites: commits on git.kernel.org, messages on lore.
// One rule for the game, the notebook and every export, so a source is never a bare id.

/** Where a cited source is read; null for an id no public page is known for. */
export function sourceUrl(s: { kind: string; id: string }): string | null {
  if (s.kind === 'commit' && /^[0-9a-f]{7,40}$/.test(s.id)) return `https://git.kernel.org/torvalds/c/${s.id}`;
  if ((s.kind === 'message' || s.kind === 'thread') && s.id.includes('@')) return `https://lore.kernel.org/r/${encodeURIComponent(s.id)}`;
  if (s.kind === 'doc' && /^https:\/\//.test(s.id)) return s.id;
  return null;
}
