// Lesson Markdown → sanitised HTML. Lessons are our own files, but they travel through the
// server, so the HTML is sanitised before lit renders it.
import DOMPurify from 'dompurify';
import { marked } from 'marked';

export function renderMarkdown(md: string): string {
  const html = marked.parse(md, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_ATTR: ['style'], FORBID_TAGS: ['style'] });
}
