// Child process for train-resume.test.ts: trains the tiny model and writes its final state as JSON.
// argv: <checkpoint dir> <result file> <resume: 0|1>
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { trainLoop } from '../../engine/train/loop.js';
import { plainCrossEntropy, syntheticSegDataset, tinySegModel, weightsOf } from '../unit/train/helpers.js';

const [checkpointDir, resultFile, resume] = process.argv.slice(2);
await tf.setBackend('cpu');
const model = tinySegModel(3, 1, 6, 2);
const result = await trainLoop({
  model,
  data: syntheticSegDataset(8, 8),
  loss: plainCrossEntropy,
  optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
  schedule: { kind: 'exponential', lr: 0.05, rate: 0.04 },
  epochs: 5,
  batchSize: 2,
  seed: 42,
  checkpointDir,
  checkpointEverySteps: 1,
  resume: resume === '1',
  validate: async (m) => {
    // A deterministic "metric" of the weights, so validation history is part of what must match.
    const sum = [...m.variables.values()].reduce((s, v) => s + v.sum().dataSync()[0], 0);
    return { metrics: { weightSum: sum }, primary: 'weightSum', higherIsBetter: true };
  },
  onProgress: (p) => process.stdout.write(`step ${p.done}/${p.total}\n`),
});
writeFileSync(
  resultFile,
  JSON.stringify({
    weights: weightsOf(model),
    history: result.history.map(({ seconds: _s, samplesPerSecond: _r, ...h }) => h),
  }),
);
