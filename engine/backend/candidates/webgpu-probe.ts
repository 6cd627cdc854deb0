import { spawn } from 'node:child_process';

/** What a WebGPU adapter says about itself (GPUAdapterInfo's fields the engine uses). */
export interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export type AdapterProbe =
  | { found: true; info: GpuAdapterInfo }
  | {
      found: false;
      why: string;
      /** What Dawn wrote to stderr, first line ('' when nothing). */ dawnSays: string;
    };

// The child asks Dawn for an adapter and prints one JSON line: {"info":{...}} or {"none":"why"}.
const PROBE_SCRIPT = `
const [modulePath, timeoutMs] = process.argv.slice(1);
const say = (value) => { process.stdout.write(JSON.stringify(value) + '\\n'); process.exit(0); };
try {
  const dawn = require(modulePath);
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), Number(timeoutMs)));
  Promise.race([gpu.requestAdapter(), timeout]).then(
    (adapter) => {
      if (!adapter) say({ none: 'no adapter' });
      const i = adapter.info ?? {};
      say({ info: { vendor: i.vendor, architecture: i.architecture, description: i.description, isFallbackAdapter: i.isFallbackAdapter } });
    },
    (error) => say({ none: String(error && error.message ? error.message : error).split('\\n')[0] }),
  );
} catch (error) {
  say({ none: String(error && error.message ? error.message : error).split('\\n')[0] });
}
`;

/** The first meaningful line Dawn wrote (it follows each warning with an 'at operator()' source line). */
function firstMessage(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('at '));
  return line ?? '';
}

/**
 * Asks Dawn for an adapter in a child process. Dawn's native code writes its diagnostics (no
 * Vulkan loader, limits it lowered) straight to file descriptor 2, which Node cannot silence in
 * this process; the child's stderr is kept instead, for the reason the backend report gives.
 */
export function probeAdapterQuietly(modulePath: string, timeoutMs: number): Promise<AdapterProbe> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', PROBE_SCRIPT, modulePath, String(timeoutMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs + 5_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => resolve({ found: false, why: error.message, dawnSays: '' }));
    child.on('close', (code, signal) => {
      const dawnSays = firstMessage(stderr);
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) {
        const why = signal ? `the probe was stopped (${signal})` : `the probe exited with ${code}`;
        resolve({ found: false, why, dawnSays });
        return;
      }
      const answer = JSON.parse(line) as { info?: GpuAdapterInfo; none?: string };
      resolve(
        answer.info ? { found: true, info: answer.info } : { found: false, why: answer.none ?? '', dawnSays },
      );
    });
  });
}
