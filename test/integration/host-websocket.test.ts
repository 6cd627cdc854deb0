import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { MAX_REQUEST_BYTES } from '../../engine/protocol/index.js';
import { startEngineHost, type RunningHost } from '../e2e/helpers/engine-host.js';

let host: RunningHost;
const staticDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-static-'));

beforeAll(async () => {
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  host = await startEngineHost({ staticDir });
});
afterAll(async () => {
  await host?.stop();
  rmSync(staticDir, { recursive: true, force: true });
});

function open(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, {
      headers: { Origin: `http://127.0.0.1:${host.port}`, ...headers },
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends one frame and returns the next text frame, parsed. */
function exchange(ws: WebSocket, frame: string | Buffer, binary = false): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data, isBinary) =>
      resolve(isBinary ? { binary: true } : (JSON.parse(data.toString()) as Record<string, unknown>)),
    );
    ws.send(frame, { binary });
  });
}

describe('browser-mode engine host (real process)', () => {
  it('refuses a WebSocket without the session token, with a wrong one, or from another origin', async () => {
    await expect(open('')).rejects.toThrow(/401/);
    await expect(open('?token=wrong')).rejects.toThrow(/401/);
    await expect(open(`?token=${host.token}`, { Origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('answers a valid request', async () => {
    const ws = await open(`?token=${host.token}`);
    const reply = await exchange(
      ws,
      JSON.stringify({ kind: 'request', id: 1, method: 'engine.status', params: {} }),
    );
    expect(reply).toMatchObject({
      kind: 'response',
      id: 1,
      ok: true,
      result: { mode: 'browser', dataDir: host.dataDir },
    });
    ws.close();
  });

  it('answers malformed, unknown, invalid and binary messages with errors and stays up', async () => {
    const ws = await open(`?token=${host.token}`);
    expect(await exchange(ws, '{not json')).toMatchObject({
      ok: false,
      id: null,
      error: { code: 'invalid-message' },
    });
    expect(
      await exchange(ws, JSON.stringify({ kind: 'request', id: 2, method: 'rm.rf', params: {} })),
    ).toMatchObject({ ok: false, id: 2, error: { code: 'unknown-method' } });
    expect(
      await exchange(ws, JSON.stringify({ kind: 'request', id: 3, method: 'runs.get', params: { id: 42 } })),
    ).toMatchObject({ ok: false, id: 3, error: { code: 'invalid-params' } });
    expect(
      await exchange(
        ws,
        JSON.stringify({ kind: 'request', id: 4, method: 'datasets.check', params: { path: '/etc' } }),
      ),
    ).toMatchObject({
      ok: false,
      id: 4,
      error: { code: 'forbidden-path' },
    });
    expect(await exchange(ws, Buffer.from([1, 2, 3]), true)).toMatchObject({
      ok: false,
      error: { code: 'invalid-message' },
    });
    expect(
      await exchange(ws, JSON.stringify({ kind: 'request', id: 5, method: 'jobs.list', params: {} })),
    ).toMatchObject({ ok: true, id: 5, result: { jobs: [] } });
    ws.close();
    expect(host.alive()).toBe(true);
  });

  it('closes a connection that sends more than the size limit; the engine keeps serving others', async () => {
    const ws = await open(`?token=${host.token}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(MAX_REQUEST_BYTES + 1));
    expect(await closed).toBe(1009); // "message too big"
    const again = await open(`?token=${host.token}`);
    expect(
      await exchange(again, JSON.stringify({ kind: 'request', id: 9, method: 'jobs.list', params: {} })),
    ).toMatchObject({ ok: true, id: 9 });
    again.close();
    expect(host.alive()).toBe(true);
  });

  it('serves the renderer with the CSP header and nothing outside its folder', async () => {
    const page = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const escape = await fetch(`http://127.0.0.1:${host.port}/..%2f..%2fetc/passwd`);
    expect([403, 404]).toContain(escape.status);
    expect(await escape.text()).not.toContain('root:');
  });
});
