import type { LayerKind, LayerNodeOf } from '../description.js';
import type { LayerDef } from '../layer.js';
import { addLayer } from './add.js';
import { avgPool3dLayer } from './avgPool3d.js';
import { batchNorm3dLayer } from './batchNorm3d.js';
import { concatLayer } from './concat.js';
import { conv3dLayer } from './conv3d.js';
import { convTranspose3dLayer } from './convTranspose3d.js';
import { dropoutLayer } from './dropout.js';
import { globalAvgPoolLayer } from './globalAvgPool.js';
import { groupNorm3dLayer } from './groupNorm3d.js';
import { inputLayer } from './input.js';
import { instanceNorm3dLayer } from './instanceNorm3d.js';
import { linearLayer } from './linear.js';
import { maxPool3dLayer } from './maxPool3d.js';
import { reluLayer } from './relu.js';
import { relu6Layer } from './relu6.js';
import { softmaxLayer } from './softmax.js';
import { upsampleNearest3dLayer } from './upsampleNearest3d.js';

/** Every layer kind's definition. A new kind: one file here, one line below, one entry in LayerAttrsByKind. */
export const layerDefs: { [K in LayerKind]: LayerDef<K> } = {
  input: inputLayer,
  conv3d: conv3dLayer,
  convTranspose3d: convTranspose3dLayer,
  batchNorm3d: batchNorm3dLayer,
  groupNorm3d: groupNorm3dLayer,
  instanceNorm3d: instanceNorm3dLayer,
  relu: reluLayer,
  relu6: relu6Layer,
  maxPool3d: maxPool3dLayer,
  avgPool3d: avgPool3dLayer,
  upsampleNearest3d: upsampleNearest3dLayer,
  concat: concatLayer,
  add: addLayer,
  globalAvgPool: globalAvgPoolLayer,
  dropout: dropoutLayer,
  linear: linearLayer,
  softmax: softmaxLayer,
};

/** The definition for any node; `layerDef(node).flops(node, …)` type-checks for every LayerNode. */
export function layerDef<K extends LayerKind>(node: LayerNodeOf<K>): LayerDef<K> {
  const def = layerDefs[node.kind] as unknown as LayerDef<K> | undefined;
  if (!def) throw new Error(`layer '${node.name}': unknown kind '${String(node.kind)}'`);
  return def;
}
