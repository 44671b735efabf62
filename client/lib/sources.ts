// Links for the kernel sources a lesson cites: commits on git.kernel.org, messages on lore.
import type { LessonSource } from '../../lessons/schema.js';

export { sourceUrl } from '../../lessons/source-links.js';

/** A variant's bare ids (commit ids or message ids) as sources. */
export function idSources(ids: readonly string[]): Pick<LessonSource, 'kind' | 'id' | 'title'>[] {
  return ids.map((id) => ({ kind: id.includes('@') ? 'message' : 'commit', id, title: id.includes('@') ? 'linux-mm message' : 'commit' }));
}
