import type * as tf from '@tensorflow/tfjs';
import type { NetModel } from '../nn/model.js';
import type { TrainableModel } from './trainable.js';

/**
 * engine/nn's NetModel as a TrainableModel. NetModel's forward assigns new running statistics
 * itself in training mode, so it hands none back; its memory-lean `gradients` does hand them back.
 */
export function trainableNet(model: NetModel): TrainableModel {
  return {
    variables: model.variables,
    trainableKeys: [...model.variables].filter(([, v]) => v.trainable).map(([key]) => key),
    forward: (x, { training, seed }) => ({
      logits: model.forward(x as tf.Tensor5D, { training, seed }),
      statUpdates: new Map(),
    }),
    gradients: (x, objective, options) => model.gradients(x as tf.Tensor5D, objective, options),
  };
}
