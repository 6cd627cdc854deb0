import type { NetDescription } from '../nn/description.js';
import { isPrunable, nodeByName } from '../nn/description.js';
import { layerDef } from '../nn/layers/registry.js';
import type { ParamSpec } from '../nn/layer.js';
import type { WeightScores } from './types.js';

/** The weight ParamSpec of a prunable layer (what its scores must be shaped like). */
export function weightSpec(net: NetDescription, layer: string): ParamSpec {
  const node = nodeByName(net, layer);
  const spec = layerDef(node)
    .params(node)
    .find((p) => p.name === 'weight');
  if (!spec) throw new Error(`layer '${layer}' (${node.kind}) has no 'weight' parameter`);
  return spec;
}

/**
 * Scores must belong to this net: same net name, exactly its prunable layers, each with the
 * weight's shape and output axis, every value finite and non-negative. Errors name the layer.
 */
export function validateScores(net: NetDescription, scores: WeightScores, origin = 'scores'): void {
  if (scores.net !== net.name) {
    throw new Error(`${origin}: scores are for net '${scores.net}', not '${net.name}'`);
  }
  const prunable = net.nodes.filter(isPrunable).map((n) => n.name);
  const missing = prunable.filter((name) => !scores.layers.has(name));
  if (missing.length)
    throw new Error(`${origin}: no scores for layer(s) ${missing.map((m) => `'${m}'`).join(', ')}`);
  for (const name of scores.layers.keys()) {
    if (!prunable.includes(name))
      throw new Error(`${origin}: layer '${name}' is not a prunable layer of '${net.name}'`);
  }
  for (const name of prunable) {
    const { shape, outAxis, values } = scores.layers.get(name)!;
    const spec = weightSpec(net, name);
    if (shape.length !== spec.shape.length || shape.some((d, i) => d !== spec.shape[i])) {
      throw new Error(
        `${origin}: layer '${name}' scores have shape [${shape.join(', ')}], its weight is [${spec.shape.join(', ')}]`,
      );
    }
    if (outAxis !== spec.outAxis) {
      throw new Error(
        `${origin}: layer '${name}' scores give output axis ${outAxis}, its weight's is ${spec.outAxis}`,
      );
    }
    const expected = spec.shape.reduce((a, b) => a * b, 1);
    if (values.length !== expected) {
      throw new Error(`${origin}: layer '${name}' has ${values.length} values, its weight has ${expected}`);
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v) || v < 0) {
        throw new Error(
          `${origin}: layer '${name}' value ${i} is ${v} (scores must be finite and non-negative)`,
        );
      }
    }
  }
}
