import { describe, expect, it } from 'vitest';
import { computeDisagreement, DISAGREEMENT } from '../../../renderer/viewer/disagreement.js';

describe('disagreement map', () => {
  it('codes every case and counts per truth label (counted by hand)', () => {
    //                        v0 v1 v2 v3 v4 v5 v6
    const truth = new Uint8Array([0, 1, 1, 2, 2, 4, 4]);
    const unpruned = new Uint8Array([0, 1, 0, 2, 1, 2, 4]);
    const pruned = new Uint8Array([0, 2, 0, 2, 4, 2, 1]);
    const map = computeDisagreement(unpruned, pruned, truth);
    expect([...map.codes]).toEqual([
      DISAGREEMENT.agree,
      DISAGREEMENT.onlyPrunedWrong,
      DISAGREEMENT.bothWrongSame,
      DISAGREEMENT.agree,
      DISAGREEMENT.bothWrongDifferent,
      DISAGREEMENT.bothWrongSame,
      DISAGREEMENT.onlyPrunedWrong,
    ]);
    expect(map.perLabel).toEqual([
      { label: 0, voxels: 1, prunedVsUnpruned: 0, unprunedVsTruth: 0, prunedVsTruth: 0 },
      { label: 1, voxels: 2, prunedVsUnpruned: 1, unprunedVsTruth: 1, prunedVsTruth: 2 },
      { label: 2, voxels: 2, prunedVsUnpruned: 1, unprunedVsTruth: 1, prunedVsTruth: 1 },
      { label: 4, voxels: 2, prunedVsUnpruned: 1, unprunedVsTruth: 1, prunedVsTruth: 2 },
    ]);
    expect(map.totals).toEqual({ voxels: 7, prunedVsUnpruned: 3, unprunedVsTruth: 3, prunedVsTruth: 5 });
  });

  it('marks only-unpruned-wrong voxels', () => {
    const map = computeDisagreement(new Uint8Array([3]), new Uint8Array([1]), new Uint8Array([1]));
    expect(map.codes[0]).toBe(DISAGREEMENT.onlyUnprunedWrong);
  });

  it('is empty for identical volumes', () => {
    const labels = new Int16Array([0, 1, 2, 4, 4, 2]);
    const map = computeDisagreement(labels, labels.slice(), labels.slice());
    expect(map.codes.every((c) => c === 0)).toBe(true);
    expect(map.totals).toEqual({ voxels: 6, prunedVsUnpruned: 0, unprunedVsTruth: 0, prunedVsTruth: 0 });
  });

  it('compares the nets with each other when there is no truth', () => {
    const map = computeDisagreement(new Uint8Array([1, 1, 2]), new Uint8Array([1, 2, 2]), null);
    expect([...map.codes]).toEqual([0, DISAGREEMENT.netsDiffer, 0]);
    expect(map.perLabel.map((l) => [l.label, l.prunedVsUnpruned])).toEqual([
      [1, 1],
      [2, 0],
    ]);
  });

  it('refuses volumes of different sizes, saying which', () => {
    expect(() => computeDisagreement(new Uint8Array(3), new Uint8Array(2), null)).toThrow(
      /pruned prediction has 2 voxels/,
    );
    expect(() => computeDisagreement(new Uint8Array(3), new Uint8Array(3), new Uint8Array(4))).toThrow(
      /ground truth has 4/,
    );
  });
});
