// Child process for the store integration tests: creates a running run and records epochs into the
// store at argv[2] — `epochs` of them (or forever), each with `perEpoch` metrics and optionally a
// checkpoint of `checkpointBytes` — printing "run ID" then "epoch N" after each commit.
import crypto from 'node:crypto';
import { openStore } from '../../engine/store/index.js';

const [dataDir, epochsArg, perEpochArg, checkpointArg, delayArg] = process.argv.slice(2);
const epochs = epochsArg === 'forever' ? Infinity : Number(epochsArg);
const perEpoch = Number(perEpochArg);
const checkpointBytes = Number(checkpointArg ?? 0);
const delayMs = Number(delayArg ?? 0);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

const store = openStore({ dataDir });
const run = store.createRun({ task: 'train', net: 'writer-child', config: { perEpoch }, status: 'running' });
process.stdout.write(`run ${run.id}\n`);
for (let epoch = 0; epoch < epochs; epoch++) {
  store.recordEpoch(run.id, {
    epoch,
    metrics: Array.from({ length: perEpoch }, (_, i) => ({
      name: `m${i % 10}`,
      value: epoch + i / perEpoch,
      step: epoch * perEpoch + i,
    })),
    system: { samplesPerSecond: epoch + 1 },
    ...(checkpointBytes > 0 && { checkpoint: { source: { bytes: crypto.randomBytes(checkpointBytes) } } }),
  });
  process.stdout.write(`epoch ${epoch}\n`);
  if (delayMs > 0) Atomics.wait(sleeper, 0, 0, delayMs);
}
store.updateRunStatus(run.id, 'completed');
store.dispose();
