// A whole tiny experiment (score → prune → train the unpruned and the pruned 3D-UNet → evaluate →
// predictions) on the backend named by RANP_BACKEND; webgpu-experiment.test.ts runs one child per
// backend (tfjs backends are per process). Writes <work>/result.json; exits 3 with the reason when
// the backend is unavailable.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackendUnavailableError, selectBackend } from '../../engine/backend/index.js';
import { runExperiment, type NetRunResult } from '../../engine/experiment/index.js';

export interface ExperimentChildNet {
  losses: number[];
  /** Output channels of each prunable layer (the pruned net's structure). */
  channels: Record<string, number>;
  checkpoint?: string;
  predictions: { sampleId: string; file: string }[];
  metrics: Record<string, number>;
}

export interface ExperimentChildResult {
  chosen: string;
  tfBackend: string;
  unpruned: ExperimentChildNet;
  pruned: ExperimentChildNet;
  /** With --resume: the cancelled-and-resumed experiment's loss curves and its 'resumed from' log lines. */
  resumed?: { unpruned: number[]; pruned: number[]; log: string[] };
}

const [data, work, flag] = process.argv.slice(2);
if (!data || !work) throw new Error('usage: webgpu-experiment-child.ts DATA_DIR WORK_DIR [--resume]');
const withResume = flag === '--resume';

let chosen: string;
try {
  chosen = (await selectBackend()).chosen;
} catch (error) {
  if (!(error instanceof BackendUnavailableError)) throw error;
  process.stdout.write(`unavailable: ${error.message}\n`);
  process.exit(3);
}

// The smallest experiment the CLI test (train-experiment.test.ts) runs.
const config = {
  task: 'brats',
  data,
  width: 0.125,
  inputSize: 16,
  seed: 3,
  prune: { method: 'ranp-f', sparsity: 0.5, scoringSamples: 2 },
  train: { epochs: 2, schedule: { kind: 'constant', lr: 0.01 } },
};
const result = await runExperiment(config, { workDir: join(work, 'whole') });

function summary(net: NetRunResult | undefined): ExperimentChildNet {
  if (!net) throw new Error('experiment: no unpruned run');
  const channels: Record<string, number> = {};
  for (const node of net.net.nodes)
    if (node.kind === 'conv3d' || node.kind === 'convTranspose3d')
      channels[node.name] = node.attrs.outChannels;
  return {
    losses: net.training.history.map((h) => h.loss),
    channels,
    checkpoint: net.checkpoint,
    predictions: net.predictions,
    metrics: net.metrics,
  };
}

/**
 * The same experiment cancelled inside the unpruned net's second epoch (after its first step there),
 * then resumed from its checkpoint: weights and optimizer state go through a file both ways.
 */
async function cancelAndResume(): Promise<ExperimentChildResult['resumed']> {
  const cancel = new AbortController();
  const cancelled = await runExperiment(config, {
    workDir: join(work, 'resumed'),
    signal: cancel.signal,
    onProgress: (p) => {
      if (p.phase === 'unpruned: epoch 2/2') cancel.abort();
    },
  });
  if (cancelled.outcome !== 'cancelled')
    throw new Error(`expected a cancelled experiment, got ${cancelled.outcome}`);
  const resumeLog: string[] = [];
  const resumed = await runExperiment(config, {
    workDir: join(work, 'resumed'),
    resume: true,
    onLog: (message) => resumeLog.push(message),
  });
  return {
    unpruned: summary(resumed.unpruned).losses,
    pruned: summary(resumed.pruned).losses,
    log: resumeLog.filter((line) => line.startsWith('resumed from')),
  };
}

const out: ExperimentChildResult = {
  chosen,
  tfBackend: tf.getBackend(),
  unpruned: summary(result.unpruned),
  pruned: summary(result.pruned),
  resumed: withResume ? await cancelAndResume() : undefined,
};
writeFileSync(join(work, 'result.json'), JSON.stringify(out));
// Dawn's device keeps the event loop alive.
process.exit(0);
