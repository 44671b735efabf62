// Links for the kernel sources a lesson cites: commits on git.kernel.org, messages on lore.
import type { LessonSource } from '../../lessons/schema.js';

export function sourceUrl(s: Pick<LessonSource, 'kind' | 'id'>): string | null {
  if (s.kind === 'commit' && /^[0-9a-f]{7,40}$/.test(s.id)) return `https://git.kernel.org/torvalds/c/${s.id}`;
  if ((s.kind === 'message' || s.kind === 'thread') && s.id.includes('@')) return `https://lore.kernel.org/r/${encodeURIComponent(s.id)}`;
  if (s.kind === 'doc' && /^https:\/\//.test(s.id)) return s.id;
  return null;
}

/** A variant's bare ids (commit ids or message ids) as sources. */
export function idSources(ids: readonly string[]): Pick<LessonSource, 'kind' | 'id' | 'title'>[] {
  return ids.map((id) => ({ kind: id.includes('@') ? 'message' : 'commit', id, title: id.includes('@') ? 'linux-mm message' : 'commit' }));
}
