import type { NeuronMask, NeuronScores } from './types.js';

export function checkSparsity(sparsity: number): void {
  if (!Number.isFinite(sparsity) || sparsity < 0 || sparsity > 1) {
    throw new Error(`sparsity must be a number in [0, 1], got ${sparsity}`);
  }
}

/**
 * K = floor(N · (1 − s)). The 1e-9 absorbs binary rounding of 1 − s (1 − 0.29 is 0.71000…01 but
 * 100 · (1 − 0.3) is 69.999…), so K is the count a person computes by hand.
 */
export function keepCount(total: number, sparsity: number): number {
  checkSparsity(sparsity);
  return Math.min(total, Math.floor(total * (1 - sparsity) + 1e-9));
}

export interface GlobalSelection {
  mask: NeuronMask;
  /** τ: the K-th largest score (+Infinity when K = 0). */
  threshold: number;
  keepCount: number;
  total: number;
}

/**
 * Global selection (docs/method.md step 7): all layers' scores form one vector of N neurons
 * (the classifier included); a neuron is kept iff its score ≥ τ, the K-th largest (ties kept).
 * The classifier is then kept whole.
 */
export function selectGlobal(scores: NeuronScores, sparsity: number, classifier: string): GlobalSelection {
  if (!scores.has(classifier)) throw new Error(`selection: no scores for the classifier '${classifier}'`);
  const all: number[] = [];
  for (const [layer, values] of scores) {
    for (const v of values) {
      if (Number.isNaN(v)) throw new Error(`selection: layer '${layer}' has a NaN score`);
      all.push(v);
    }
  }
  const k = keepCount(all.length, sparsity);
  all.sort((a, b) => b - a);
  const threshold = k > 0 ? all[k - 1] : Infinity;
  const mask: NeuronMask = new Map();
  for (const [layer, values] of scores) {
    mask.set(
      layer,
      layer === classifier
        ? new Uint8Array(values.length).fill(1)
        : Uint8Array.from(values, (v) => (v >= threshold ? 1 : 0)),
    );
  }
  return { mask, threshold, keepCount: k, total: all.length };
}

/** Indices of the `count` largest values (ties broken by lower index). */
export function topIndices(values: ArrayLike<number>, count: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((a, b) => values[b] - values[a] || a - b)
    .slice(0, count);
}

export function countKept(mask: NeuronMask): number {
  let kept = 0;
  for (const values of mask.values()) for (const v of values) kept += v;
  return kept;
}
