import type { VolumeHeader } from '../../engine/protocol/volume.js';
import { labelValues, withUnlistedLabels, type ColourTable } from './colour-table.js';
import type { PanelSpec } from './comparison-viewer.js';
import {
  computeDisagreement,
  DISAGREEMENT_TABLE,
  type DisagreementMap,
  type LabelArray,
} from './disagreement.js';
import type { ViewerVolume } from './volume-data.js';

export interface ComparisonInput {
  image: ViewerVolume;
  table: ColourTable;
  truth?: ViewerVolume | null;
  unpruned?: ViewerVolume | null;
  pruned?: ViewerVolume | null;
}

export interface Comparison {
  panels: PanelSpec[];
  /** The input table plus a generated entry for every label the volumes carry that it does not name. */
  table: ColourTable;
  /** Present when both predictions are given. */
  disagreement: DisagreementMap | null;
}

function labelArray(volume: ViewerVolume): LabelArray {
  const data = volume.channels[0];
  if (volume.header.kind !== 'labels' || data instanceof Float32Array) {
    throw new Error(
      `"${volume.header.title}" must be an integer label map (kind 'labels'), got ${volume.header.kind} ${volume.header.dataType}`,
    );
  }
  return data;
}

function sameGrid(a: VolumeHeader, b: VolumeHeader): void {
  const dimsMatch = a.dims.every((d, i) => d === b.dims[i]);
  const affineMatch = a.affine.every((v, i) => Math.abs(v - b.affine[i]) < 1e-3);
  if (!dimsMatch || !affineMatch) {
    throw new Error(
      `"${a.title}" (${a.dims.join('×')}) and "${b.title}" (${b.dims.join('×')}) are not on the same voxel grid; ` +
        'a disagreement map needs identical dims and affines',
    );
  }
}

/**
 * The standard clinical layout: one panel per available label map (ground truth, unpruned, pruned),
 * plus the disagreement map when both predictions are present.
 */
export function buildComparison(input: ComparisonInput): Comparison {
  const { image, truth, unpruned, pruned } = input;
  const labelMaps = [truth, unpruned, pruned].filter((v): v is ViewerVolume => Boolean(v));
  let disagreement: DisagreementMap | null = null;
  if (unpruned && pruned) {
    sameGrid(unpruned.header, pruned.header);
    if (truth) sameGrid(truth.header, unpruned.header);
    disagreement = computeDisagreement(
      labelArray(unpruned),
      labelArray(pruned),
      truth ? labelArray(truth) : null,
    );
  }
  // The disagreement's rows already list every label of the three maps: no second pass over the voxels.
  const present = disagreement
    ? disagreement.perLabel.map((row) => row.label)
    : labelValues(labelMaps.map(labelArray));
  const table = withUnlistedLabels(input.table, present);
  const panels: PanelSpec[] = [];
  if (truth) panels.push({ title: truth.header.title || 'ground truth', labels: truth, table });
  if (unpruned)
    panels.push({ title: unpruned.header.title || 'unpruned prediction', labels: unpruned, table });
  if (pruned) panels.push({ title: pruned.header.title || 'pruned prediction', labels: pruned, table });
  if (panels.length === 0) panels.push({ title: image.header.title, labels: null, table: null });
  if (unpruned && pruned && disagreement) {
    const header: VolumeHeader = {
      ...unpruned.header,
      id: `${unpruned.header.id}-vs-${pruned.header.id}`,
      title: 'disagreement',
      dataType: 'uint8',
      channels: ['disagreement'],
      ranges: [[0, 5]],
    };
    panels.push({
      title: 'disagreement',
      labels: { header, channels: [disagreement.codes] },
      table: DISAGREEMENT_TABLE,
    });
  }
  return { panels, table, disagreement };
}
