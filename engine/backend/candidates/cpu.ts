import * as tf from '@tensorflow/tfjs';
import { jsKernelsNotice } from '../native-addon.js';
import type { BackendCandidate } from './candidate.js';

/** tfjs's JavaScript kernels: always there, correct, about 1 GFLOP/s for conv3d; its detail says what that costs. */
export const cpu: BackendCandidate = {
  name: 'cpu',
  tensorMemory: 'host',
  async activate() {
    await tf.setBackend('cpu');
    return { ok: true, tfBackend: 'cpu', native: false, detail: jsKernelsNotice() };
  },
};
