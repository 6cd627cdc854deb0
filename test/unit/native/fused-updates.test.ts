import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAM_UPDATE, SGD_UPDATE } from '../../../engine/backend/fused-updates.js';
import { adamUpdate } from '../../../engine/backend/kernels/adam-update.js';
import type { NativeKernel } from '../../../engine/backend/kernels/native-kernel.js';
import { sgdUpdate } from '../../../engine/backend/kernels/sgd-update.js';
import { createOptimizer, type OptimizerSpec } from '../../../engine/train/optimizers/registry.js';
import { seededRandom } from '../../../engine/data/random.js';
import { nativeAddon, nativeSuffix, requireNativeAddon, skipNative } from './native-required.js';

await tf.setBackend('cpu');

let registered: string[] = [];
function register(kernel: NativeKernel): void {
  if (!nativeAddon.loaded) throw new Error(`${kernel.kernelName}: the addon did not load`);
  const noFallback: tf.KernelFunc = () => {
    throw new Error(`${kernel.kernelName} fell back`);
  };
  tf.registerKernel({
    kernelName: kernel.kernelName,
    backendName: 'cpu',
    kernelFunc: kernel.create(nativeAddon.addon, noFallback),
  });
  registered.push(kernel.kernelName);
}
afterEach(() => {
  for (const name of registered) tf.unregisterKernel(name, 'cpu');
  registered = [];
});

/**
 * Three updates of three weights under changing gradients: 1,001 values (not a multiple of any
 * vector width), 5, and 300,007 (past the addon's one-thread limit, so split between threads).
 */
function train(spec: OptimizerSpec, lr: number): { weights: Float32Array[]; state: Float32Array[] } {
  const random = seededRandom(7);
  const values = (n: number, scale: number) =>
    Float32Array.from({ length: n }, () => (random() - 0.5) * scale);
  const variables = new Map([
    ['conv/kernel', tf.variable(tf.tensor(values(1001, 2), [7, 11, 13]))],
    ['conv/bias', tf.variable(tf.tensor(values(5, 1), [5]))],
    ['wide/kernel', tf.variable(tf.tensor(values(300_007, 1), [300_007]))],
  ]);
  const optimizer = createOptimizer(spec);
  for (let step = 0; step < 3; step++) {
    const grads = new Map(
      [...variables].map(([name, v]) => [name, tf.tensor(values(v.size, 10 ** step), v.shape)]),
    );
    optimizer.apply(variables, grads, lr);
    tf.dispose([...grads.values()]);
  }
  const state = optimizer.getState();
  const out = {
    weights: [...variables.values()].map((v) => v.dataSync() as Float32Array),
    state: [...state.slots.values()].map((t) => t.dataSync() as Float32Array),
  };
  tf.dispose([...variables.values(), ...state.slots.values()]);
  optimizer.dispose();
  return out;
}

function expectBitIdentical(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
        Buffer.from(expected[i].buffer, expected[i].byteOffset, expected[i].byteLength),
      ),
    ).toBe(true);
  });
}

const SGD_CASES: OptimizerSpec[] = [
  { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
  { kind: 'sgd', momentum: 0.9, dampening: 0.1, weightDecay: 5e-4 },
  { kind: 'sgd' },
];
const ADAM_CASES: OptimizerSpec[] = [
  { kind: 'adam' },
  { kind: 'adam', weightDecay: 1e-3, beta1: 0.8, eps: 1e-6 },
];

describe.skipIf(skipNative)(
  `fused optimizer updates (one native pass per weight) vs the composed tf ops${nativeSuffix}`,
  () => {
    requireNativeAddon();
    it.each(SGD_CASES)('sgd %o: weights and momentum buffers bit-identical after 3 steps', (spec) => {
      const composed = train(spec, 0.1);
      register(sgdUpdate);
      const fused = train(spec, 0.1);
      expectBitIdentical(fused.weights, composed.weights);
      expectBitIdentical(fused.state, composed.state);
      expect(composed.weights[1]).not.toEqual(train({ kind: 'sgd' }, 0.2).weights[1]);
    });

    it.each(ADAM_CASES)('adam %o: weights and both moments bit-identical after 3 steps', (spec) => {
      const composed = train(spec, 1e-3);
      register(adamUpdate);
      const fused = train(spec, 1e-3);
      expectBitIdentical(fused.weights, composed.weights);
      expectBitIdentical(fused.state, composed.state);
    });

    it('the optimizer really takes the fused path when the kernel is registered', () => {
      let calls = 0;
      const counting: NativeKernel = {
        kernelName: SGD_UPDATE,
        create: (addon, fallback) => {
          const run = sgdUpdate.create(addon, fallback);
          return (args) => {
            calls++;
            return run(args);
          };
        },
      };
      register(counting);
      train({ kind: 'sgd', momentum: 0.9, nesterov: true }, 0.1);
      expect(calls).toBe(9);
      expect(tf.getKernel(ADAM_UPDATE, 'cpu')).toBeUndefined();
    });

    it('a hand-computed Nesterov step through the fused kernel', () => {
      register(sgdUpdate);
      // d = 0.5 + 0.1·1 = 0.6, buf = 0.6, step = 0.6 + 0.9·0.6 = 1.14 → p = 1 − 0.1·1.14 = 0.886
      const p = tf.variable(tf.tensor([1], [1]));
      const optimizer = createOptimizer({ kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.1 });
      const g = tf.tensor([0.5], [1]);
      optimizer.apply(new Map([['p', p]]), new Map([['p', g]]), 0.1);
      expect(p.dataSync()[0]).toBeCloseTo(0.886, 6);
      tf.dispose([p, g]);
      optimizer.dispose();
    });
  },
);
