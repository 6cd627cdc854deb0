import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createOptimizer, type OptimizerSpec } from '../../../engine/train/optimizers/registry.js';

await tf.setBackend('cpu');

/** Runs `steps` updates of a scalar parameter under a constant gradient and returns the trajectory. */
function trajectory(spec: OptimizerSpec, steps: number, lr = 0.1, grad = 0.5): number[] {
  const p = tf.variable(tf.scalar(1));
  const optimizer = createOptimizer(spec);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const g = tf.scalar(grad);
    optimizer.apply(new Map([['p', p]]), new Map([['p', g]]), lr);
    g.dispose();
    out.push(p.dataSync()[0]);
  }
  optimizer.dispose();
  p.dispose();
  return out;
}

describe('sgd (PyTorch semantics)', () => {
  it('Nesterov momentum with weight decay matches hand-computed steps', () => {
    // d1 = 0.5 + 0.1·1 = 0.6, buf = 0.6, step = 0.6 + 0.9·0.6 = 1.14 → p = 0.886
    // d2 = 0.5 + 0.0886 = 0.5886, buf = 0.54 + 0.5886 = 1.1286, step = 0.5886 + 1.01574 → p = 0.725566
    const [p1, p2] = trajectory({ kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.1 }, 2);
    expect(p1).toBeCloseTo(0.886, 6);
    expect(p2).toBeCloseTo(0.725566, 6);
  });

  it('plain momentum (no Nesterov) uses the buffer as the step', () => {
    // buf1 = 0.5 → p = 0.95; buf2 = 0.45 + 0.5 = 0.95 → p = 0.855
    const [p1, p2] = trajectory({ kind: 'sgd', momentum: 0.9 }, 2);
    expect(p1).toBeCloseTo(0.95, 6);
    expect(p2).toBeCloseTo(0.855, 6);
  });

  it('rejects Nesterov without momentum', () => {
    expect(() => createOptimizer({ kind: 'sgd', nesterov: true })).toThrow(/momentum > 0/);
  });
});

describe('adam (PyTorch semantics, L2 weight decay)', () => {
  it('moves by lr per step under a constant gradient without decay', () => {
    const [p1, p2] = trajectory({ kind: 'adam' }, 2);
    expect(p1).toBeCloseTo(0.9, 6);
    expect(p2).toBeCloseTo(0.8, 6);
  });

  it('with weight decay matches hand-computed second step', () => {
    // g2 = 0.5 + 0.1·0.9 = 0.59; m = 0.054 + 0.059 = 0.113; v = 0.999·0.00036 + 0.001·0.3481 = 0.00070774
    // m̂ = 0.113/0.19 = 0.5947368; v̂ = 0.00070774/0.001999 = 0.3540470; step = 0.1·0.5947368/0.5950185
    const [p1, p2] = trajectory({ kind: 'adam', weightDecay: 0.1 }, 2);
    expect(p1).toBeCloseTo(0.9, 6);
    expect(p2).toBeCloseTo(0.9 - (0.1 * 0.5947368) / 0.5950185, 5);
  });
});

describe('optimizer state round trip', () => {
  for (const spec of [
    { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
    { kind: 'adam', weightDecay: 1e-4 },
  ] as OptimizerSpec[]) {
    it(`${spec.kind}: a restored optimizer continues bit-exactly`, () => {
      const grads = [0.3, -0.7, 1.1, 0.2].map((g) => tf.tensor1d([g, -g, 2 * g]));
      const a = tf.variable(tf.tensor1d([1, 2, 3]));
      const first = createOptimizer(spec);
      for (const g of grads.slice(0, 2)) first.apply(new Map([['w', a]]), new Map([['w', g]]), 0.05);
      const state = first.getState();
      const b = tf.variable(a.clone());
      const second = createOptimizer(spec);
      second.setState(state);
      for (const t of state.slots.values()) t.dispose();
      for (const g of grads.slice(2)) {
        first.apply(new Map([['w', a]]), new Map([['w', g]]), 0.05);
        second.apply(new Map([['w', b]]), new Map([['w', g]]), 0.05);
      }
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      expect(Array.from(a.dataSync())).not.toEqual([1, 2, 3]);
      first.dispose();
      second.dispose();
      tf.dispose([a, b, ...grads]);
    });
  }
});
