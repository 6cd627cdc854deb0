import * as tf from '@tensorflow/tfjs';
import { runFusedKernel } from '../../backend/fused-kernel.js';
import { SGD_UPDATE } from '../../backend/fused-updates.js';
import { checkGradShape, type Optimizer, type OptimizerState } from './optimizer.js';

export interface SgdOptions {
  momentum: number;
  dampening: number;
  nesterov: boolean;
  /** L2 penalty added to the gradient (PyTorch's weight_decay). */
  weightDecay: number;
}

export const SGD_DEFAULTS: SgdOptions = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 };

/**
 * torch.optim.SGD semantics: d = g + wd·p; buf = d on the first step, else momentum·buf + (1 − dampening)·d;
 * d = d + momentum·buf (Nesterov) or buf; p ← p − lr·d.
 */
export function createSgd(options: Partial<SgdOptions> = {}): Optimizer {
  const o: SgdOptions = { ...SGD_DEFAULTS, ...options };
  if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0))
    throw new Error('sgd: Nesterov momentum requires momentum > 0 and dampening 0');
  let momentumBuffers = new Map<string, tf.Tensor>();
  let steps = 0;

  return {
    kind: 'sgd',
    apply(variables, grads, lr) {
      for (const [name, grad] of grads) {
        const variable = variables.get(name);
        if (!variable) throw new Error(`sgd: gradient for unknown variable '${name}'`);
        checkGradShape('sgd', name, variable, grad);
        const previous = momentumBuffers.get(name);
        const fused = runFusedKernel(SGD_UPDATE, { variable, grad, buffer: previous }, { lr, ...o });
        if (fused) {
          const [updated, buffer] = fused;
          variable.assign(updated);
          updated.dispose();
          if (buffer) {
            previous?.dispose();
            momentumBuffers.set(name, buffer);
          }
          continue;
        }
        tf.tidy(() => {
          let d: tf.Tensor = o.weightDecay !== 0 ? tf.add(grad, tf.mul(variable, o.weightDecay)) : grad;
          if (o.momentum !== 0) {
            const buffer = previous
              ? tf.add(tf.mul(previous, o.momentum), tf.mul(d, 1 - o.dampening))
              : tf.clone(d);
            previous?.dispose();
            momentumBuffers.set(name, tf.keep(buffer));
            d = o.nesterov ? tf.add(d, tf.mul(buffer, o.momentum)) : buffer;
          }
          variable.assign(tf.sub(variable, tf.mul(d, lr)));
        });
      }
      steps++;
    },
    getState(): OptimizerState {
      const slots = new Map<string, tf.Tensor>();
      for (const [name, buffer] of momentumBuffers) slots.set(`momentum/${name}`, tf.clone(buffer));
      return { kind: 'sgd', scalars: { steps }, slots };
    },
    setState(state) {
      if (state.kind !== 'sgd') throw new Error(`sgd: cannot load '${state.kind}' optimizer state`);
      for (const t of momentumBuffers.values()) t.dispose();
      momentumBuffers = new Map();
      for (const [key, t] of state.slots) {
        if (!key.startsWith('momentum/')) throw new Error(`sgd: unexpected state slot '${key}'`);
        momentumBuffers.set(key.slice('momentum/'.length), tf.clone(t));
      }
      steps = state.scalars.steps ?? 0;
    },
    dispose() {
      for (const t of momentumBuffers.values()) t.dispose();
      momentumBuffers.clear();
    },
  };
}
