import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFiles } from './client-files.js';

const JS = 'export const answer = 42;\n'.repeat(40);
let dir = '';
let server: Server;
let port = 0;

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reaplab-client-files-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>shell</title>');
  writeFileSync(join(dir, 'assets/app-abc123.js'), JS);
  writeFileSync(join(dir, 'assets/app-abc123.js.br'), brotliCompressSync(JS));
  writeFileSync(join(dir, 'assets/app-abc123.js.gz'), gzipSync(JS));
  writeFileSync(join(dir, 'assets/app-abc123.js.map'), '{}');
  const app = express();
  app.use(clientFiles(dir));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built client files', () => {
  it('sends the brotli copy to a browser that accepts it, with the original type and Vary', async () => {
    const r = await get('/assets/app-abc123.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(r.headers.vary).toMatch(/Accept-Encoding/i);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(r.body).toString()).toBe(JS);
  });

  it('falls back to gzip, then to the plain file', async () => {
    const gz = await get('/assets/app-abc123.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(JS);
    const plain = await get('/assets/app-abc123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.body.toString()).toBe(JS);
  });

  it('revalidates the shell on every load, also for client routes, and never serves source maps', async () => {
    const shell = await get('/');
    expect(shell.headers['cache-control']).toBe('no-cache');
    expect(shell.body.toString()).toContain('shell');
    const route = await get('/r/ABCD', { accept: 'text/html' });
    expect(route.status).toBe(200);
    expect(route.headers['cache-control']).toBe('no-cache');
    expect(route.body.toString()).toContain('shell');
    const map = await get('/assets/app-abc123.js.map', { accept: 'application/json' });
    expect(map.status).toBe(404);
  });
});
