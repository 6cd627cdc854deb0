import * as tf from '@tensorflow/tfjs';
import type { NetDescription } from '../nn/description.js';
import { layerDef } from '../nn/layers/registry.js';
import type { PruneResult } from './prune.js';
import { keptPositions } from './pruned-net.js';

export interface MaterializeOptions {
  /**
   * Weights of the full net by 'layer.param' key: the surviving slices are copied (along each
   * ParamSpec's outAxis and inAxis). Omitted: the pruned net is re-initialized from scratch when
   * it is built (the reference's choice), and no weights are returned.
   */
  inherit?: ReadonlyMap<string, tf.Tensor>;
}

export interface Materialized {
  /** The physically smaller description (same as PruneResult.prunedNet). */
  net: NetDescription;
  /** Inherited weights by 'layer.param' key, shaped for `net`; owned by the caller (dispose). */
  weights?: Map<string, tf.Tensor>;
}

/**
 * Materialization (docs/method.md step 10): the pruned description plus, on request, the
 * surviving weights of the full net. Weight-level methods keep the dense shapes; inherited
 * weights are multiplied by their masks.
 */
export function materialize(
  net: NetDescription,
  result: PruneResult,
  options: MaterializeOptions = {},
): Materialized {
  const { graph, keptGroups, prunedNet, weightMasks } = result;
  if (graph.net !== net && graph.net.name !== net.name) {
    throw new Error(`materialize: the prune result is for net '${graph.net.name}', not '${net.name}'`);
  }
  const source = options.inherit;
  if (!source) return { net: prunedNet };
  const weights = new Map<string, tf.Tensor>();
  try {
    for (const node of graph.net.nodes) {
      const out = keptPositions(graph, node.name, keptGroups);
      const input = node.inputs[0];
      const inPositions = input === undefined ? [] : keptPositions(graph, input, keptGroups);
      for (const spec of layerDef(node).params(node)) {
        const key = `${node.name}.${spec.name}`;
        const full = source.get(key);
        if (!full) throw new Error(`materialize: no weights for '${key}' to inherit`);
        if (full.shape.length !== spec.shape.length || full.shape.some((d, i) => d !== spec.shape[i])) {
          throw new Error(
            `materialize: '${key}' has shape [${full.shape.join(', ')}], expected [${spec.shape.join(', ')}]`,
          );
        }
        const mask = spec.name === 'weight' ? weightMasks?.get(node.name) : undefined;
        weights.set(
          key,
          tf.tidy(() => {
            let sliced = mask ? full.mul(tf.tensor(mask, full.shape, 'float32')) : full.clone();
            if (out.length !== spec.shape[spec.outAxis]) sliced = tf.gather(sliced, out, spec.outAxis);
            if (spec.inAxis !== undefined && inPositions.length !== spec.shape[spec.inAxis]) {
              sliced = tf.gather(sliced, inPositions, spec.inAxis);
            }
            return sliced;
          }),
        );
      }
    }
  } catch (error) {
    for (const tensor of weights.values()) tensor.dispose();
    throw error;
  }
  return { net: prunedNet, weights };
}
