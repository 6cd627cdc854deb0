import type { ProtocolClient } from '../../engine/protocol/index.js';

/** What ShapeComparison shows for one shape: the truth and both runs' predictions, uint8 (255 = empty). */
export interface ShapeVolumes {
  dims: [number, number, number];
  truth: Uint8Array;
  unpruned: Uint8Array;
  pruned: Uint8Array;
  /** The category's part labels (the per-shape IoU averages over these). */
  parts: number[];
  category: string;
}

/** A ShapeNet validation shape's truth (from the unpruned run's dataset) and both runs' stored predictions. */
export async function loadShapeVolumes(
  client: ProtocolClient,
  runs: { unpruned: string; pruned: string },
  sample: string,
): Promise<ShapeVolumes> {
  const [truth, unpruned, pruned] = await Promise.all([
    client.volume({ runId: runs.unpruned, sample, which: 'truth' }),
    client.volume({ runId: runs.unpruned, sample, which: 'prediction' }),
    client.volume({ runId: runs.pruned, sample, which: 'prediction' }),
  ]);
  const labels = (v: typeof truth): Uint8Array => {
    if (!(v.voxels instanceof Uint8Array) || v.header.dims.join() !== truth.header.dims.join())
      throw new Error(
        `${v.header.title} of '${sample}': expected uint8 labels on the truth's ${truth.header.dims.join('×')} grid, got ${v.header.dataType} ${v.header.dims.join('×')}`,
      );
    return v.voxels;
  };
  const parts = truth.header.parts;
  if (!parts) throw new Error(`ground truth of '${sample}' names no parts: is it a ShapeNet shape?`);
  return {
    dims: truth.header.dims,
    truth: labels(truth),
    unpruned: labels(unpruned),
    pruned: labels(pruned),
    parts: parts.labels,
    category: parts.category,
  };
}
