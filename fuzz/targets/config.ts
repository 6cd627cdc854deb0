import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../engine/cli/command.js';
import { readConfigFile } from '../../engine/cli/config-file.js';
import { ConfigError, resolveConfig } from '../../engine/experiment/config.js';
import { mutateBytes, mutateJson } from '../mutate.js';
import { isErrorOf, type FuzzTarget } from '../target.js';

/** Experiment configs as `ranp train --config` reads them (YAML or JSON), resolved with task defaults. */
const CONFIGS = [
  {
    task: 'shapenet',
    data: 'assets/samples/shapenet',
    net: 'unet3d-shapenet',
    width: 0.25,
    inputSize: 16,
    prune: { method: 'ranp-f', sparsity: 0.5, scoringSamples: 4 },
    train: { epochs: 4, samplesPerEpoch: 16, schedule: { kind: 'exponential', lr: 0.02, gamma: 0.04 } },
  },
  {
    task: 'brats',
    data: 'assets/samples/brats',
    inputSize: [16, 16, 16],
    seed: 3,
    prune: { method: 'ranp-m', sparsity: 0.3, inherit: true },
    train: { epochs: 1, batchSize: 1 },
    eval: { samples: 2, overlap: 0.5 },
  },
  {
    task: 'ucf101',
    data: 'assets/samples/ucf101',
    net: 'mobilenetv2-3d',
    width: 0.5,
    prune: { method: 'random', sparsity: 0.3315, from: { task: 'ucf101', data: 'assets/samples/ucf101' } },
  },
];

export const configTarget: FuzzTarget = {
  name: 'config',
  async corpus() {
    return CONFIGS.map((c) => new TextEncoder().encode(JSON.stringify(c, null, 2)));
  },
  mutate(input, random, corpus) {
    try {
      if (random.next() < 0.7) {
        const json = JSON.parse(new TextDecoder().decode(input)) as Parameters<typeof mutateJson>[0];
        return new TextEncoder().encode(JSON.stringify(mutateJson(json, random), null, 2));
      }
    } catch {
      // no longer JSON: mutate bytes
    }
    return mutateBytes(input, random, corpus);
  },
  async run(input, scratch) {
    const file = path.join(scratch, 'experiment.yaml');
    writeFileSync(file, input);
    return resolveConfig(readConfigFile(file), file);
  },
  isSpecificError: isErrorOf(ConfigError, UsageError),
};
