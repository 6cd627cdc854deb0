import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandLine, descendants, isRunning } from './process-tree.js';
import { startApp } from './start-app.js';

/**
 * `npm start` in browser mode, as a user runs it: it builds the UI when there is none (into a temp
 * --static folder here, so the check always sees a first start), serves it, and a stop signal ends
 * the start script, the engine and anything else it started.
 */
const work = mkdtempSync(path.join(os.tmpdir(), 'ranp-start-'));
const staticDir = path.join(work, 'ui');
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return done();
}

describe('bin/start.js (browser mode)', () => {
  // The first case also does the first-start build of the UI. Through npm, the signal goes to npm,
  // which does not pass it on through its `sh -c`: the script must notice its parent is gone.
  it.each([
    { signal: 'SIGTERM', via: 'node' },
    { signal: 'SIGINT', via: 'node' },
    { signal: 'SIGTERM', via: 'npm' },
  ] as const)(
    'serves the built UI, then $signal to $via stops it and every process it started',
    async ({ signal, via }) => {
      const app = await startApp(
        process.cwd(),
        ['--port', '0', '--data-dir', path.join(work, `data-${signal}-${via}`), '--static', staticDir],
        { timeoutMs: 150_000, via },
      );
      const page = await fetch(app.url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<title>RANP Studio</title>');
      const script = /<script type="module" crossorigin src="\.\/(assets\/[^"]+\.js)"/.exec(html);
      expect(script, html).not.toBeNull();
      const bundle = await fetch(new URL(script![1], app.url));
      expect(bundle.status).toBe(200);

      const pid = app.process.pid!;
      const started = descendants(pid);
      expect(started.map(commandLine).some((c) => c.includes('engine/host/browser-main.ts'))).toBe(true);
      app.process.kill(signal);
      const exit = await app.exited;
      // npm itself dies of the signal; the start script exits 0 after a clean stop.
      if (via === 'node') expect(exit).toEqual({ code: 0, signal: null });
      const survivors = () => [pid, ...started].filter(isRunning);
      expect(await waitUntil(() => survivors().length === 0, 5_000), `still running: ${survivors()}`).toBe(
        true,
      );
    },
    180_000,
  );
});
