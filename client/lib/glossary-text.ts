// Glossary links in rendered lesson Markdown. Lessons link a term as
// [text](#/glossary/<id>); after sanitising, such links become <rl-glossary-term>, which
// opens the definition in place. An id the glossary lacks stays a plain link (the lesson
// test keeps that from happening).
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { glossaryEntry } from '../../lessons/glossary.js';

const LINK_RE = /<a href="#\/glossary\/([a-z0-9-]+)">([\s\S]*?)<\/a>/g;

/** Sanitised HTML in, the same HTML with glossary links turned into terms out. */
export function glossaryTerms(html: string): string {
  return html.replace(LINK_RE, (m, id: string, inner: string) => (glossaryEntry(id) ? `<rl-glossary-term term="${id}">${inner}</rl-glossary-term>` : m));
}

/** A definition's Markdown as sanitised HTML (links to other terms stay links to the glossary page). */
export function renderDefinition(md: string): string {
  const html = marked.parse(md, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_ATTR: ['style'], FORBID_TAGS: ['style'] });
}

/** The state panel's labels that name a glossary term, with the term they open. */
export const STATE_TERMS: Readonly<Record<string, string>> = {
  MMF_OOM_VICTIM: 'mmf-oom-victim',
  MMF_UNSTABLE: 'mmf-unstable',
  MMF_OOM_SKIP: 'mmf-oom-skip',
  'mm->mmap == NULL': 'handover',
  mmap_sem: 'mmap-sem',
  VM_LOCKED: 'vm-locked',
  pgtables: 'page-tables',
  oom_reaper: 'oom-reaper',
  'mutex M': 'vm-ops-close',
};
