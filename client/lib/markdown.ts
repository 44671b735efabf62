// Lesson Markdown → sanitised HTML. Lessons are our own files, but they travel through the
// server, so the HTML is sanitised before lit renders it. Glossary links become terms the
// player can open (glossary-text.ts): <rl-glossary-term>, which whoever draws this HTML
// defines (widgets/rl-glossary-term.ts).
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { glossaryTerms } from './glossary-text.js';

export function renderMarkdown(md: string): string {
  const html = marked.parse(md, { async: false, gfm: true, breaks: false });
  return glossaryTerms(DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_ATTR: ['style'], FORBID_TAGS: ['style'] }));
}
