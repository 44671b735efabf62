// The glossary: a one-paragraph definition and a source for every term the lessons, hints,
// code notes and the state panel rely on (the data is lessons/glossary.json). Lesson texts
// link a term as Markdown, `[MMF_OOM_SKIP](#/glossary/mmf-oom-skip)`; the game turns such a
// link into a term the player can open, and `#/glossary` lists them all. Pure: the server,
// the client and the tests import it (no schema library, to keep the client small).

import data from './glossary.json';

export interface GlossaryEntry {
  /** The link target: `#/glossary/<id>`. */
  id: string;
  term: string;
  /** Other spellings a text may use for the same thing (flag names, function names). */
  aliases: string[];
  /** One paragraph of Markdown, in our own words. */
  definition: string;
  /** Where a reader can check it (an id from lessons/known-sources.ts). */
  source: { kind: 'commit' | 'message' | 'thread' | 'doc'; id: string; title: string };
}

/** The entries, as lessons/glossary.json lists them (glossary.test.ts checks the file's shape). */
export const GLOSSARY: readonly GlossaryEntry[] = (data as { terms: GlossaryEntry[] }).terms;

const byId = new Map(GLOSSARY.map((e) => [e.id, e]));

export function glossaryEntry(id: string): GlossaryEntry | undefined {
  return byId.get(id);
}

/** `[text](#/glossary/<id>)` in Markdown. */
export const GLOSSARY_LINK_RE = /\]\(#\/glossary\/([a-z0-9-]+)\)/g;

/** The glossary ids a Markdown text links to. */
export function glossaryLinksIn(text: string): string[] {
  return [...text.matchAll(GLOSSARY_LINK_RE)].map((m) => m[1]!);
}

/** The entry whose term or alias is exactly this name (`MMF_OOM_SKIP`, `mmap_lock`), if any. */
export function glossaryEntryNamed(name: string): GlossaryEntry | undefined {
  return GLOSSARY.find((e) => e.term === name || e.aliases.includes(name) || e.term.split(' ')[0] === name);
}

/** Kernel flag names a text mentions (`MMF_*`, `VM_*`): each must have a glossary entry. */
export function flagNamesIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\b(?:MMF|VM)_[A-Z_]+\b/g)].map((m) => m[0]))];
}
