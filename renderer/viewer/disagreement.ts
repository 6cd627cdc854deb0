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

/** Counts for the voxels carrying one reference label (the truth's, or the unpruned net's without truth). */
export interface LabelDisagreement {
  label: number;
  voxels: number;
  /** Voxels where the pruned and unpruned predictions differ. */
  prunedVsUnpruned: number;
  /** Voxels where the unpruned prediction differs from the truth (0 without truth). */
  unprunedVsTruth: number;
  /** Voxels where the pruned prediction differs from the truth (0 without truth). */
  prunedVsTruth: number;
}

export interface DisagreementMap {
  codes: Uint8Array;
  /** Sorted by label value. */
  perLabel: LabelDisagreement[];
  totals: Omit<LabelDisagreement, 'label'>;
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
  const codes = new Uint8Array(unpruned.length);
  const byLabel = new Map<number, LabelDisagreement>();
  const reference = truth ?? unpruned;
  for (let v = 0; v < codes.length; v++) {
    const u = unpruned[v];
    const p = pruned[v];
    const label = reference[v];
    let entry = byLabel.get(label);
    if (!entry) {
      entry = { label, voxels: 0, prunedVsUnpruned: 0, unprunedVsTruth: 0, prunedVsTruth: 0 };
      byLabel.set(label, entry);
    }
    entry.voxels++;
    if (u !== p) entry.prunedVsUnpruned++;
    if (!truth) {
      codes[v] = u !== p ? DISAGREEMENT.netsDiffer : DISAGREEMENT.agree;
      continue;
    }
    const uWrong = u !== label;
    const pWrong = p !== label;
    if (uWrong) entry.unprunedVsTruth++;
    if (pWrong) entry.prunedVsTruth++;
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
  const perLabel = [...byLabel.values()].sort((a, b) => a.label - b.label);
  const totals = { voxels: 0, prunedVsUnpruned: 0, unprunedVsTruth: 0, prunedVsTruth: 0 };
  for (const e of perLabel) {
    totals.voxels += e.voxels;
    totals.prunedVsUnpruned += e.prunedVsUnpruned;
    totals.unprunedVsTruth += e.unprunedVsTruth;
    totals.prunedVsTruth += e.prunedVsTruth;
  }
  return { codes, perLabel, totals };
}
