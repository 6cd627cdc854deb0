import type * as tf from '@tensorflow/tfjs';
import type { NetModel } from '../nn/model.js';
import type { TrainableModel } from './trainable.js';

/**
 * engine/nn's NetModel as a TrainableModel. NetModel assigns new running statistics itself in
 * training mode, so no updates are handed back; they are checkpointed with the other variables.
 */
export function trainableNet(model: NetModel): TrainableModel {
  return {
    variables: model.variables,
    trainableKeys: [...model.variables].filter(([, v]) => v.trainable).map(([key]) => key),
    forward: (x, { training, seed }) => ({
      logits: model.forward(x as tf.Tensor5D, { training, seed }),
      statUpdates: new Map(),
    }),
  };
}
