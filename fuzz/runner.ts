import { Worker } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRandom } from './random.js';
import { fuzzTargets } from './targets/index.js';

export type Outcome = 'ok' | 'rejected' | 'crash' | 'hang' | 'oom';

export interface Finding {
  index: number;
  outcome: Exclude<Outcome, 'ok' | 'rejected'>;
  message: string;
  file?: string;
}

export interface FuzzReport {
  target: string;
  seed: number;
  inputs: number;
  counts: Record<Outcome, number>;
  /** Distinct rejection messages (first words), to see that errors are specific. */
  rejectionKinds: Record<string, number>;
  findings: Finding[];
  seconds: number;
}

export interface FuzzOptions {
  target: string;
  count: number;
  seed: number;
  /** Per-input limit; past it the input is a hang. */
  timeoutMs?: number;
  /** Worker heap limit; past it the input is an out-of-memory finding. */
  memoryMb?: number;
  /** Where inputs that were findings are written (for regression tests). */
  findingsDir?: string;
  onProgress?: (done: number, total: number) => void;
}

/** Mutated input number `index` of a run: depends only on (seed, index, corpus). */
export function fuzzInput(
  mutate: (input: Uint8Array, random: ReturnType<typeof createRandom>, corpus: Uint8Array[]) => Uint8Array,
  corpus: Uint8Array[],
  seed: number,
  index: number,
): Uint8Array {
  const random = createRandom((seed * 1_000_003 + index) >>> 0);
  let input = random.pick(corpus);
  for (let n = random.int(3) + 1; n > 0; n--) input = mutate(input, random, corpus);
  return input;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const target = fuzzTargets.find((t) => t.name === options.target);
  if (!target)
    throw new Error(
      `unknown fuzz target '${options.target}' (have: ${fuzzTargets.map((t) => t.name).join(', ')})`,
    );
  const corpus = await target.corpus();
  if (!corpus.length) throw new Error(`fuzz target '${target.name}' has an empty corpus`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const counts: Record<Outcome, number> = { ok: 0, rejected: 0, crash: 0, hang: 0, oom: 0 };
  const rejectionKinds: Record<string, number> = {};
  const findings: Finding[] = [];
  const started = Date.now();

  let worker: Worker | undefined;
  const startWorker = async (): Promise<Worker> => {
    const w = new Worker(new URL('./worker-entry.js', import.meta.url), {
      workerData: { target: target.name },
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? 512 },
    });
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    });
    return w;
  };

  const runOne = (w: Worker, input: Uint8Array) =>
    new Promise<{ outcome: Outcome; message: string; workerDead: boolean }>((resolve) => {
      const timer = setTimeout(
        () => finish({ outcome: 'hang', message: `no answer within ${timeoutMs} ms`, workerDead: true }),
        timeoutMs,
      );
      const onMessage = (m: { outcome: Outcome; message?: string }) =>
        finish({ outcome: m.outcome, message: m.message ?? '', workerDead: false });
      const onError = (e: Error & { code?: string }) =>
        finish({
          outcome: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'oom' : 'crash',
          message: `worker died: ${e.message}`,
          workerDead: true,
        });
      const onExit = (code: number) =>
        finish({ outcome: 'crash', message: `worker exited with code ${code}`, workerDead: true });
      function finish(result: { outcome: Outcome; message: string; workerDead: boolean }) {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        resolve(result);
      }
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(input);
    });

  try {
    for (let index = 0; index < options.count; index++) {
      worker ??= await startWorker();
      const input = fuzzInput(target.mutate, corpus, options.seed, index);
      const { outcome, message, workerDead } = await runOne(worker, input);
      counts[outcome]++;
      if (outcome === 'rejected') {
        const kind = message
          .replace(/\/tmp\/\S+/g, 'TMP')
          .replace(/\d+/g, 'N')
          .slice(0, 80);
        rejectionKinds[kind] = (rejectionKinds[kind] ?? 0) + 1;
      } else if (outcome !== 'ok') {
        const finding: Finding = { index, outcome, message };
        if (options.findingsDir) {
          const dir = path.join(options.findingsDir, target.name);
          mkdirSync(dir, { recursive: true });
          finding.file = path.join(
            dir,
            `${createHash('sha256').update(input).digest('hex').slice(0, 16)}.bin`,
          );
          writeFileSync(finding.file, input);
        }
        findings.push(finding);
      }
      if (workerDead) {
        // The worker is stuck or dead: replace it.
        await worker.terminate();
        worker = undefined;
      }
      options.onProgress?.(index + 1, options.count);
    }
  } finally {
    await worker?.terminate();
  }
  return {
    target: target.name,
    seed: options.seed,
    inputs: options.count,
    counts,
    rejectionKinds,
    findings,
    seconds: (Date.now() - started) / 1000,
  };
}
