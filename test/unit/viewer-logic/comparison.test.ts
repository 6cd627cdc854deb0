import { describe, expect, it } from 'vitest';
import brats from '../../../assets/colour-tables/brats.json';
import type { VolumeHeader } from '../../../engine/protocol/volume.js';
import { parseColourTable } from '../../../renderer/viewer/colour-table.js';
import { buildComparison } from '../../../renderer/viewer/comparison.js';
import type { ViewerVolume } from '../../../renderer/viewer/volume-data.js';

const table = parseColourTable(brats, 'brats.json');
const header: VolumeHeader = {
  id: 'v',
  title: 'MRI',
  kind: 'image',
  dims: [3, 2, 1],
  channels: ['t1'],
  dataType: 'int16',
  affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  ranges: [[0, 5]],
};
const image: ViewerVolume = { header, channels: [new Int16Array([0, 1, 2, 3, 4, 5])] };
const labels = (title: string, values: number[]): ViewerVolume => ({
  header: { ...header, id: title, title, kind: 'labels', dataType: 'uint8', ranges: [[0, 9]] },
  channels: [new Uint8Array(values)],
});

describe('buildComparison', () => {
  it('gives every label of any map a legend entry: 7 only in the truth, 3 only in the unpruned net', () => {
    const truth = labels('truth', [0, 1, 2, 7, 0, 4]);
    const unpruned = labels('unpruned', [0, 1, 3, 0, 0, 4]);
    const pruned = labels('pruned', [0, 1, 2, 0, 0, 0]);
    const built = buildComparison({ image, table, truth, unpruned, pruned });
    expect(built.panels.map((p) => p.title)).toEqual(['truth', 'unpruned', 'pruned', 'disagreement']);
    expect(built.table.labels.map((l) => [l.value, Boolean(l.unlisted)])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, false],
      [7, true],
    ]);
    // The same table as from the maps' values alone, without predictions to compare.
    const alone = buildComparison({ image, table, truth, unpruned });
    expect(alone.disagreement).toBeNull();
    expect(alone.table.labels.map((l) => l.value)).toEqual([1, 2, 3, 4, 7]);
    expect(buildComparison({ image, table, truth }).table.labels.map((l) => l.value)).toEqual([1, 2, 4, 7]);
  });
});
