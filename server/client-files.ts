// The built client's files (dist/client): the precompressed copy the build wrote beside each
// text file (.br, .gz) goes to browsers that accept it, with Content-Encoding and Vary set;
// hashed files under /assets/ are cached for a year as immutable, everything else (the app
// shell) is revalidated on every load. Any other GET that accepts HTML gets the app shell
// (the client's routes: /r/CODE, /c/CODE, ...). Source maps are never served.

import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

const ENCODINGS = [{ name: 'br', ext: '.br' }, { name: 'gzip', ext: '.gz' }] as const;
const IMMUTABLE = 'public, max-age=31536000, immutable';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function clientFiles(dir: string): Router {
  // URL paths of the files that have precompressed copies, read once: the build is fixed while serving.
  const all = walk(dir).map((f) => `/${relative(dir, f).split(sep).join('/')}`);
  const have = new Set(all);
  const compressed = new Map(all.filter((p) => !/\.(br|gz)$/.test(p)).map((p) => [p, ENCODINGS.filter((e) => have.has(p + e.ext))]));

  const serve = express.static(dir, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      const r = res as Response;
      const enc = ENCODINGS.find((e) => path.endsWith(e.ext));
      const original = enc ? path.slice(0, -enc.ext.length) : path;
      if (enc) {
        r.setHeader('Content-Encoding', enc.name);
        r.type(extname(original));
      }
      if (compressed.get(`/${relative(dir, original).split(sep).join('/')}`)?.length) r.vary('Accept-Encoding');
      r.setHeader('Cache-Control', original.includes(`${sep}assets${sep}`) ? IMMUTABLE : 'no-cache');
    },
  });

  /** Points the request at the best copy of `path` this browser accepts. */
  const pick = (req: Request, path: string): void => {
    // Ours is the preference (brotli is smaller), whatever order the browser lists them in.
    const enc = (compressed.get(path) ?? []).find((e) => req.acceptsEncodings(e.name) === e.name);
    req.url = enc ? path + enc.ext : path;
  };

  const router = express.Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path: string;
    try { path = decodeURIComponent(req.path); } catch { return next(); }
    if (path.endsWith('.map')) return next();
    if (path === '/') path = '/index.html';
    if (!compressed.has(path)) return next();
    pick(req, path);
    serve(req, res, next);
  });
  // Client-side routes: any other GET that accepts HTML gets the app shell.
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || !req.accepts('html') || !existsSync(join(dir, 'index.html'))) return next();
    pick(req, '/index.html');
    serve(req, res, next);
  });
  return router;
}
