import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildModel, type NetModel } from '../../engine/nn/model.js';
import { WeightsFileError } from '../../engine/nn/weights.js';
import { buildNet } from '../../engine/nn/zoo/registry.js';
import { mutateBytes } from '../mutate.js';
import type { FuzzTarget } from '../target.js';

let model: NetModel | undefined;
function tinyUnet(): NetModel {
  // A narrow BraTS U-Net: the real layer set, few enough weights to mutate meaningfully.
  model ??= buildModel(buildNet('unet3d-brats', { width: 0.125, inputSize: [8, 8, 8] }), { seed: 1 });
  return model;
}

/** Saved weights loaded into a model: header, tensor table and data mutated. */
export const weightsTarget: FuzzTarget = {
  name: 'weights',
  async corpus() {
    const file = path.join(process.env.TMPDIR ?? '/tmp', `ranp-fuzz-weights-${process.pid}.bin`);
    await tinyUnet().saveWeights(file);
    return [new Uint8Array(readFileSync(file))];
  },
  mutate: mutateBytes,
  async run(input, scratch) {
    const file = path.join(scratch, 'weights.bin');
    writeFileSync(file, input);
    await tinyUnet().loadWeights(file);
  },
  isSpecificError: (error) =>
    error instanceof WeightsFileError ||
    (error instanceof Error && error.constructor === Error && error.message.startsWith('weights file')),
};
