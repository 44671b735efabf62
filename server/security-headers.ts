// The site's security headers (helmet with a strict CSP), in one place: express sends them
// on every HTTP response, and the socket.io server on its own (engine.io polling answers,
// the WebSocket upgrade), which do not pass through express.

import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** The Content-Security-Policy the built client must pass: scripts only from this origin, no inline script. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Styles come from files and constructed stylesheets (lit) only; the client sets inline styles via the CSSOM,
  // which CSP allows. test/browser serves every page under this policy and fails on any violation.
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  scriptSrcAttr: ["'none'"],
  upgradeInsecureRequests: null,
};

export const siteHelmet = () => helmet({ contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES }, crossOriginEmbedderPolicy: false });

/** The headers siteHelmet sets, as a plain record (helmet run once against a response that only records them). */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
      return res;
    },
    removeHeader(name: string) {
      delete headers[name];
    },
    getHeader: (name: string) => headers[name],
  };
  let done = false;
  siteHelmet()({ headers: {}, method: 'GET', url: '/' } as IncomingMessage, res as unknown as ServerResponse, () => { done = true; });
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}
