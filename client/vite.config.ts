// Vite config for the browser client. Root is client/; the build goes to dist/client at
// the repo root, which the server serves as static files. The server's CSP allows only
// self-hosted scripts and styles, so the build must not inline any script or <style>:
// the module preload polyfill is off (it would be an inline script in some setups) and
// assets are always emitted as files.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/client', import.meta.url));

export default defineConfig(({ command }) => ({
  root,
  base: '/',
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
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
