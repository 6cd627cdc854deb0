import { parentPort, workerData } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fuzzTargets } from './targets/index.js';

/** Runs inputs of one target, one at a time, and reports each outcome to the runner. */
const target = fuzzTargets.find((t) => t.name === (workerData as { target: string }).target);
if (!target) throw new Error(`unknown fuzz target ${String(workerData)}`);

parentPort!.on('message', async (input: Uint8Array) => {
  const scratch = mkdtempSync(path.join(tmpdir(), `ranp-fuzz-${target.name}-`));
  try {
    await target.run(input, scratch);
    parentPort!.postMessage({ outcome: 'ok' });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const specific = target.isSpecificError(error);
    parentPort!.postMessage({
      outcome: specific ? 'rejected' : 'crash',
      message: specific ? message.slice(0, 300) : `${message}\n${error instanceof Error ? error.stack : ''}`,
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
parentPort!.postMessage({ outcome: 'ready' });
