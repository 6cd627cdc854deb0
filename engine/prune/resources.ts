import type { NetDescription, Triple } from '../nn/description.js';
import { countResources, type ResourceCounts } from '../resources/count.js';
import type { NetResources } from './types.js';

/** engine/resources' counter in the shape pruning uses: totals and a per-layer map. */
export function countNetResources(net: NetDescription, inputSize: Triple): NetResources {
  const report = countResources(net, inputSize);
  const perLayer = new Map<string, ResourceCounts>(
    report.layers.map((l) => [
      l.name,
      { flops: l.flops, params: l.params, memoryElements: l.memoryElements },
    ]),
  );
  const { flops, params, memoryElements } = report.totals;
  return { total: { flops, params, memoryElements }, memoryConvention: report.memoryConvention, perLayer };
}
