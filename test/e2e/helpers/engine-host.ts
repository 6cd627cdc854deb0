import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Must match engine/host/browser-main.ts READY_PREFIX (not imported: that module starts a server). */
const READY_PREFIX = 'RANP_HOST_READY ';

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the engine wrote to stderr (asserted empty of crashes by tests). */
  stderr(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

/** Starts the real browser-mode engine process (tsx, real SQLite in a temp data dir). */
export async function startEngineHost(
  options: { staticDir?: string; dataDir?: string; extraArgs?: string[] } = {},
): Promise<RunningHost> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'ranp-host-'));
  const ownsDataDir = options.dataDir === undefined;
  const args = [
    '--import',
    'tsx',
    path.resolve('engine/host/browser-main.ts'),
    '--port',
    '0',
    '--data-dir',
    dataDir,
  ];
  if (options.staticDir) args.push('--static', options.staticDir);
  const child = spawn(process.execPath, [...args, ...(options.extraArgs ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  let stderr = '';
  let exited = false;
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('exit', () => (exited = true));
  const ready = await new Promise<{ url: string; port: number; token: string }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`engine host did not start in 60 s; stderr:\n${stderr}`)),
      60_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith(READY_PREFIX));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY_PREFIX.length)) as { url: string; port: number; token: string });
      }
    });
    child.on('exit', (code) => reject(new Error(`engine host exited with ${code}; stderr:\n${stderr}`)));
  });
  return {
    ...ready,
    dataDir,
    process: child,
    stderr: () => stderr,
    alive: () => !exited,
    stop: async () => {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
