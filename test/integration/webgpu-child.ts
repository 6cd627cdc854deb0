import { spawn } from 'node:child_process';

// What the WebGPU checks share: running a child script on one forced backend, and the rule that a
// missing adapter fails the check (naming the fix) unless RANP_SKIP_WEBGPU=1 opts out.

export const SETUP_HINT =
  'run scripts/setup-system.sh as root (on Debian 12 it installs Mesa 25 lavapipe from bookworm-backports; Dawn rejects Mesa 22), or set RANP_SKIP_WEBGPU=1 to skip this check';
/** The child's exit code for "the forced backend is not available here". */
export const UNAVAILABLE = 3;
const CHILD_TIMEOUT_MS = 150_000;

export type ChildExit = { ok: true } | { ok: false; code: number | null; output: string };

/** Runs `node --import tsx <args>` with RANP_BACKEND=backend; resolves with its exit and output. */
export function runOnBackend(backend: 'cpu' | 'webgpu', args: string[]): Promise<ChildExit> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
      env: { ...process.env, RANP_BACKEND: backend },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
    });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      resolve(code === 0 ? { ok: true } : { ok: false, code, output: output.trim() }),
    );
  });
}

/** Fails (or, with RANP_SKIP_WEBGPU=1, skips) naming the fix when Dawn gets no adapter here. */
export function requireAdapter(ctx: { skip: (note: string) => never }, reason: string): never {
  if (process.env.RANP_SKIP_WEBGPU === '1')
    ctx.skip(`WebGPU unavailable (RANP_SKIP_WEBGPU=1): ${reason}; ${SETUP_HINT}`);
  throw new Error(`WebGPU backend unavailable: ${reason}\nTo fix: ${SETUP_HINT}`);
}
