import { describe, expect, it } from 'vitest';
import {
  computeDisagreement,
  DISAGREEMENT,
  DISAGREEMENT_TABLE,
} from '../../../renderer/viewer/disagreement.js';

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
    // [label, truth voxels, unpruned predicts it, pruned predicts it, differ, unpruned wrong, pruned wrong]
    expect(
      map.perLabel.map((r) => [
        r.label,
        r.voxels,
        r.unprunedVoxels,
        r.prunedVoxels,
        r.prunedVsUnpruned,
        r.unprunedVsTruth,
        r.prunedVsTruth,
      ]),
    ).toEqual([
      [0, 1, 2, 2, 0, 0, 0],
      [1, 2, 2, 1, 1, 1, 2],
      [2, 2, 2, 3, 1, 1, 1],
      [4, 2, 1, 1, 1, 1, 2],
    ]);
    expect(map.totals).toEqual({
      voxels: 7,
      unprunedVoxels: 7,
      prunedVoxels: 7,
      prunedVsUnpruned: 3,
      unprunedVsTruth: 3,
      prunedVsTruth: 5,
    });
  });

  it('gives a label only the nets predict its own row (BraTS label 3)', () => {
    const truth = new Uint8Array([0, 0, 1, 1]);
    const unpruned = new Uint8Array([3, 3, 3, 1]);
    const pruned = new Uint8Array([0, 3, 1, 1]);
    const row = computeDisagreement(unpruned, pruned, truth).perLabel.find((r) => r.label === 3);
    expect(row).toEqual({
      label: 3,
      voxels: 0,
      unprunedVoxels: 3,
      prunedVoxels: 1,
      prunedVsUnpruned: 0,
      unprunedVsTruth: 0,
      prunedVsTruth: 0,
    });
  });

  it('counts label values beyond 255 (int16 label maps) too', () => {
    const map = computeDisagreement(new Int16Array([300, 1]), new Int16Array([300, 300]), null);
    expect(map.perLabel.map((r) => [r.label, r.voxels, r.prunedVoxels])).toEqual([
      [1, 1, 0],
      [300, 1, 2],
    ]);
  });

  it('marks only-unpruned-wrong voxels', () => {
    const map = computeDisagreement(new Uint8Array([3]), new Uint8Array([1]), new Uint8Array([1]));
    expect(map.codes[0]).toBe(DISAGREEMENT.onlyUnprunedWrong);
  });

  it('is empty for identical volumes', () => {
    const labels = new Int16Array([0, 1, 2, 4, 4, 2]);
    const map = computeDisagreement(labels, labels.slice(), labels.slice());
    expect(map.codes.every((c) => c === 0)).toBe(true);
    expect(map.totals).toMatchObject({
      voxels: 6,
      prunedVsUnpruned: 0,
      unprunedVsTruth: 0,
      prunedVsTruth: 0,
    });
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

/** Colour-vision-deficiency simulation in linear RGB: Viénot et al. 1999 (protan, deutan), Machado et al. 2009 (tritan, severity 1). */
const DEFICIENCIES: Record<string, number[][]> = {
  protan: [
    [0.11238, 0.88762, 0],
    [0.11238, 0.88762, 0],
    [0.00401, -0.00401, 1],
  ],
  deutan: [
    [0.29275, 0.70725, 0],
    [0.29275, 0.70725, 0],
    [-0.02234, 0.02234, 1],
  ],
  tritan: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.1476],
    [0.004733, 0.691367, 0.3039],
  ],
  none: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};

function simulate(colour: readonly number[], matrix: number[][]): number[] {
  const linear = colour.map((c) =>
    c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4,
  );
  return matrix.map((row) => {
    const l = Math.min(1, Math.max(0, row[0] * linear[0] + row[1] * linear[1] + row[2] * linear[2]));
    return 255 * (l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055);
  });
}

describe('disagreement colours', () => {
  const colours = DISAGREEMENT_TABLE.labels.map((l) => l.colour);

  it.each(Object.keys(DEFICIENCIES))('stay apart under %s colour vision', (deficiency) => {
    const seen = colours.map((c) => simulate(c, DEFICIENCIES[deficiency]));
    for (let a = 0; a < seen.length; a++) {
      for (let b = a + 1; b < seen.length; b++) {
        const distance = Math.hypot(...seen[a].map((v, i) => v - seen[b][i]));
        expect(distance, `codes ${a + 1} and ${b + 1}`).toBeGreaterThanOrEqual(50);
      }
    }
  });

  it('has no grey or white code (those read as image intensity)', () => {
    for (const c of colours) expect(Math.max(...c) - Math.min(...c), c.join()).toBeGreaterThanOrEqual(60);
  });
});
