// Lesson Markdown → sanitised HTML. Lessons are our own files, but they travel through the
// server, so the HTML is sanitised before lit renders it. Glossary links become terms the
// player can open (glossary-text.ts).
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { glossaryTerms } from './glossary-text.js';
import '../widgets/rl-glossary-term.js';

export function renderMarkdown(md: string): string {
  const html = marked.parse(md, { async: false, gfm: true, breaks: false });
  return glossaryTerms(DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_ATTR: ['style'], FORBID_TAGS: ['style'] }));
}
