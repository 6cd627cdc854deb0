import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from './layer.js';
import { deriveSeed } from './seed.js';

/**
 * Draws a parameter's initial value (docs/method.md step 1): Xavier-normal weights
 * (std √(2/(fan_in+fan_out))), N(0,1) conv biases, norm gamma N(1, 0.02), zeros/ones otherwise.
 * Seeded per parameter key, so a value does not depend on which other layers exist.
 */
export function initialValue(spec: ParamSpec, key: string, seed: number): tf.Tensor {
  const drawSeed = deriveSeed(seed, key);
  switch (spec.init) {
    case 'xavierNormal': {
      if (!spec.fan) throw new Error(`parameter '${key}': xavierNormal needs fan in/out`);
      const std = Math.sqrt(2 / (spec.fan.in + spec.fan.out));
      return tf.randomNormal(spec.shape, 0, std, 'float32', drawSeed);
    }
    case 'standardNormal':
      return tf.randomNormal(spec.shape, 0, 1, 'float32', drawSeed);
    case 'gammaNormal':
      return tf.randomNormal(spec.shape, 1, 0.02, 'float32', drawSeed);
    case 'zeros':
      return tf.zeros(spec.shape);
    case 'ones':
      return tf.ones(spec.shape);
  }
}
