import * as tf from '@tensorflow/tfjs';
import { runFusedKernel } from '../../backend/fused-kernel.js';
import { ADAM_UPDATE } from '../../backend/fused-updates.js';
import { checkGradShape, type Optimizer, type OptimizerState } from './optimizer.js';

export interface AdamOptions {
  beta1: number;
  beta2: number;
  eps: number;
  /** L2 penalty added to the gradient (torch.optim.Adam's weight_decay, not AdamW's decoupled decay). */
  weightDecay: number;
}

export const ADAM_DEFAULTS: AdamOptions = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

/**
 * torch.optim.Adam semantics (amsgrad off): g ← g + wd·p; m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
 * p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps).
 */
export function createAdam(options: Partial<AdamOptions> = {}): Optimizer {
  const o: AdamOptions = { ...ADAM_DEFAULTS, ...options };
  let firstMoments = new Map<string, tf.Tensor>();
  let secondMoments = new Map<string, tf.Tensor>();
  let steps = 0;

  const release = () => {
    for (const t of [...firstMoments.values(), ...secondMoments.values()]) t.dispose();
    firstMoments = new Map();
    secondMoments = new Map();
  };

  return {
    kind: 'adam',
    apply(variables, grads, lr) {
      steps++;
      const stepSize = lr / (1 - o.beta1 ** steps);
      const secondCorrection = Math.sqrt(1 - o.beta2 ** steps);
      for (const [name, grad] of grads) {
        const variable = variables.get(name);
        if (!variable) throw new Error(`adam: gradient for unknown variable '${name}'`);
        checkGradShape('adam', name, variable, grad);
        const [m0, v0] = [firstMoments.get(name), secondMoments.get(name)];
        const fused = runFusedKernel(
          ADAM_UPDATE,
          { variable, grad, m: m0, v: v0 },
          { ...o, stepSize, secondCorrection },
        );
        if (fused) {
          const [updated, m, v] = fused;
          variable.assign(updated);
          updated.dispose();
          tf.dispose([m0, v0]);
          firstMoments.set(name, m);
          secondMoments.set(name, v);
          continue;
        }
        tf.tidy(() => {
          const g = o.weightDecay !== 0 ? tf.add(grad, tf.mul(variable, o.weightDecay)) : grad;
          const m0 = firstMoments.get(name) ?? tf.zerosLike(variable);
          const v0 = secondMoments.get(name) ?? tf.zerosLike(variable);
          const m = tf.add(tf.mul(m0, o.beta1), tf.mul(g, 1 - o.beta1));
          const v = tf.add(tf.mul(v0, o.beta2), tf.mul(tf.square(g), 1 - o.beta2));
          firstMoments.get(name)?.dispose();
          secondMoments.get(name)?.dispose();
          firstMoments.set(name, tf.keep(m));
          secondMoments.set(name, tf.keep(v));
          const denominator = tf.add(tf.div(tf.sqrt(v), secondCorrection), o.eps);
          variable.assign(tf.sub(variable, tf.mul(tf.div(m, denominator), stepSize)));
        });
      }
    },
    getState(): OptimizerState {
      const slots = new Map<string, tf.Tensor>();
      for (const [name, t] of firstMoments) slots.set(`m/${name}`, tf.clone(t));
      for (const [name, t] of secondMoments) slots.set(`v/${name}`, tf.clone(t));
      return { kind: 'adam', scalars: { steps }, slots };
    },
    setState(state) {
      if (state.kind !== 'adam') throw new Error(`adam: cannot load '${state.kind}' optimizer state`);
      release();
      for (const [key, t] of state.slots) {
        const [slot, ...rest] = key.split('/');
        const target = slot === 'm' ? firstMoments : slot === 'v' ? secondMoments : undefined;
        if (!target) throw new Error(`adam: unexpected state slot '${key}'`);
        target.set(rest.join('/'), tf.clone(t));
      }
      steps = state.scalars.steps ?? 0;
    },
    dispose: release,
  };
}
