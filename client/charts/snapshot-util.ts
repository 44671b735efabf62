// Test helper: builds charts in a small server-side DOM (linkedom) and normalises the SVG
// (Plot's class hash, float precision, one element per line) so golden files are stable.
import { parseHTML } from 'linkedom';

export function testDocument(): Document {
  return parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
}

export function normaliseSvg(el: Element): string {
  return el.outerHTML
    .replace(/plot-[0-9a-f]{6}/g, 'plot-x')
    .replace(/\d+\.\d{3,}/g, (m) => String(Math.round(Number(m) * 100) / 100))
    .replace(/></g, '>\n<')
    .concat('\n');
}
