import type { ColourTable } from './colour-table.js';
import disagreementTableJson from '../../assets/colour-tables/disagreement.json';
import { parseColourTable } from './colour-table.js';

/**
 * Disagreement codes, one per voxel (colours in assets/colour-tables/disagreement.json).
 * With ground truth: 0 all agree, 1 only the unpruned net is wrong, 2 only the pruned net is wrong,
 * 3 both wrong with the same label, 4 both wrong with different labels.
 * Without ground truth: 0 the nets agree, 5 they differ.
 */
export const DISAGREEMENT = {
  agree: 0,
  onlyUnprunedWrong: 1,
  onlyPrunedWrong: 2,
  bothWrongSame: 3,
  bothWrongDifferent: 4,
  netsDiffer: 5,
} as const;

export const DISAGREEMENT_TABLE: ColourTable = parseColourTable(disagreementTableJson, 'disagreement.json');

export type LabelArray = Uint8Array | Int16Array | Int32Array | Uint16Array;

/**
 * Counts for one label value: the voxels carrying it in the reference (the truth's, or the unpruned net's
 * without truth) and in each prediction, so a label only a net predicts (BraTS label 3) gets a row too.
 */
export interface LabelDisagreement {
  label: number;
  /** Reference voxels with this label. */
  voxels: number;
  /** Voxels the unpruned / pruned net gives this label. */
  unprunedVoxels: number;
  prunedVoxels: number;
  /** Reference voxels of this label where the pruned and unpruned predictions differ. */
  prunedVsUnpruned: number;
  /** Reference voxels of this label where the unpruned prediction differs from the truth (0 without truth). */
  unprunedVsTruth: number;
  /** Reference voxels of this label where the pruned prediction differs from the truth (0 without truth). */
  prunedVsTruth: number;
}

export interface DisagreementMap {
  codes: Uint8Array;
  /** Every label present in any of the volumes, sorted by value. */
  perLabel: LabelDisagreement[];
  totals: Omit<LabelDisagreement, 'label'>;
}

const COUNTS = [
  'voxels',
  'unprunedVoxels',
  'prunedVoxels',
  'prunedVsUnpruned',
  'unprunedVsTruth',
  'prunedVsTruth',
] as const;

/** Per-label counters: a flat array for values 0–255 (the common case, no map look-up per voxel), a map beyond. */
class LabelCounters {
  private readonly small = new Float64Array(256 * COUNTS.length);
  private readonly large = new Map<number, Float64Array>();

  add(label: number, field: number): void {
    if (label >= 0 && label < 256) {
      this.small[label * COUNTS.length + field]++;
      return;
    }
    let row = this.large.get(label);
    if (!row) this.large.set(label, (row = new Float64Array(COUNTS.length)));
    row[field]++;
  }

  rows(): LabelDisagreement[] {
    const rows: LabelDisagreement[] = [];
    const push = (label: number, values: ArrayLike<number>, at: number): void => {
      if (values[at] + values[at + 1] + values[at + 2] === 0) return;
      const row = { label } as LabelDisagreement;
      COUNTS.forEach((name, f) => (row[name] = values[at + f]));
      rows.push(row);
    };
    for (let label = 0; label < 256; label++) push(label, this.small, label * COUNTS.length);
    for (const [label, values] of this.large) push(label, values, 0);
    return rows.sort((a, b) => a.label - b.label);
  }
}

export function computeDisagreement(
  unpruned: LabelArray,
  pruned: LabelArray,
  truth: LabelArray | null,
): DisagreementMap {
  if (pruned.length !== unpruned.length) {
    throw new Error(
      `disagreement: pruned prediction has ${pruned.length} voxels, unpruned has ${unpruned.length}`,
    );
  }
  if (truth && truth.length !== unpruned.length) {
    throw new Error(
      `disagreement: ground truth has ${truth.length} voxels, predictions have ${unpruned.length}`,
    );
  }
  const [VOXELS, UNPRUNED, PRUNED, DIFFER, UNPRUNED_WRONG, PRUNED_WRONG] = [0, 1, 2, 3, 4, 5];
  const codes = new Uint8Array(unpruned.length);
  const counters = new LabelCounters();
  const reference = truth ?? unpruned;
  for (let v = 0; v < codes.length; v++) {
    const u = unpruned[v];
    const p = pruned[v];
    const label = reference[v];
    counters.add(label, VOXELS);
    counters.add(u, UNPRUNED);
    counters.add(p, PRUNED);
    if (u !== p) counters.add(label, DIFFER);
    if (!truth) {
      codes[v] = u !== p ? DISAGREEMENT.netsDiffer : DISAGREEMENT.agree;
      continue;
    }
    const uWrong = u !== label;
    const pWrong = p !== label;
    if (uWrong) counters.add(label, UNPRUNED_WRONG);
    if (pWrong) counters.add(label, PRUNED_WRONG);
    codes[v] = !uWrong
      ? pWrong
        ? DISAGREEMENT.onlyPrunedWrong
        : DISAGREEMENT.agree
      : !pWrong
        ? DISAGREEMENT.onlyUnprunedWrong
        : u === p
          ? DISAGREEMENT.bothWrongSame
          : DISAGREEMENT.bothWrongDifferent;
  }
  const perLabel = counters.rows();
  const totals = Object.fromEntries(
    COUNTS.map((name) => [name, perLabel.reduce((sum, row) => sum + row[name], 0)]),
  ) as DisagreementMap['totals'];
  return { codes, perLabel, totals };
}
