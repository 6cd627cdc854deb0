import type { NetDescription, Triple } from '../nn/description.js';
import { layerDef } from '../nn/layers/registry.js';
import { inferShapes, inputShapesOf } from '../nn/shapes.js';
import type { NetResources, ResourceTotals } from './types.js';

/** Per-layer FLOPs, trainable params and output elements (layer modules only), batch 1. */
export function countNetResources(net: NetDescription, inputSize: Triple): NetResources {
  const shapes = inferShapes(net, inputSize);
  const perLayer = new Map<string, ResourceTotals>();
  const total: ResourceTotals = { flops: 0, params: 0, memoryElements: 0 };
  for (const node of net.nodes) {
    const def = layerDef(node);
    const output = shapes.get(node.name)!;
    const flops = def.flops(node, inputShapesOf(node, shapes, net, inputSize), output);
    const params = def
      .params(node)
      .filter((p) => p.trainable)
      .reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
    const elements =
      output.channels * (output.spatial ? output.spatial[0] * output.spatial[1] * output.spatial[2] : 1);
    const memoryElements = def.countsMemory && node.kind !== 'input' ? elements : 0;
    perLayer.set(node.name, { flops, params, memoryElements });
    total.flops += flops;
    total.params += params;
    total.memoryElements += memoryElements;
  }
  return { total, perLayer };
}
