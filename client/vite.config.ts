// Vite config for the browser client. Root is client/; the build goes to dist/client at
// the repo root, which the server serves as static files. The server's CSP allows only
// self-hosted scripts and styles, so the build must not inline any script or <style>:
// the module preload polyfill is off (it would be an inline script in some setups) and
// assets are always emitted as files. Every text file of the build is also written
// precompressed (.br and .gz beside it), which the server sends to browsers that accept
// them (server/client-files.ts); no source maps are built for production. The palette's
// custom properties come from lib/palette.ts as a virtual stylesheet the entry imports.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { paletteCss } from './lib/palette.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/client', import.meta.url));

const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Writes <file>.br and <file>.gz for every compressible file of the build, once it is written. */
function precompress(): Plugin {
  return {
    name: 'reaplab-precompress',
    apply: 'build',
    closeBundle() {
      for (const path of files(outDir).filter((f) => COMPRESSIBLE.test(f))) {
        const body = readFileSync(path);
        writeFileSync(`${path}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
        writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

/** `import 'virtual:palette.css'`: the palette's custom properties (lib/palette.ts) as a stylesheet. */
function palette(): Plugin {
  const id = 'virtual:palette.css';
  return {
    name: 'reaplab-palette',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load: (resolved) => (resolved === `\0${id}` ? paletteCss() : null),
  };
}

export default defineConfig(({ command }) => ({
  root,
  base: '/',
  publicDir: false,
  plugins: [palette(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  esbuild: { target: 'es2022' },
  // Production builds use lit's production code even when NODE_ENV is not "production"
  // (vitest sets it to "test" when the browser tests build the client).
  ...(command === 'build' ? { resolve: { conditions: ['module', 'browser', 'production'] }, mode: 'production' } : {}),
  server: {
    port: 5173,
    proxy: {
      '/socket.io': { target: 'http://localhost:3000', ws: true },
      '/api': { target: 'http://localhost:3000' },
    },
  },
}));
