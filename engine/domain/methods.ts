/**
 * Every pruning method the product offers, one line each: what the UI calls it, whether the RANP
 * resource weight λ applies, and whether it reads weight scores. The protocol's method enum, the
 * renderer's labels and the CLI's help are derived from this table; the implementation of each
 * name is one line in engine/prune/criteria/registry.ts.
 */
export interface PruneMethodInfo {
  label: string;
  usesLambda: boolean;
  needsScores: boolean;
}

export const PRUNE_METHODS = {
  'ranp-f': { label: 'RANP-f (saves computation)', usesLambda: true, needsScores: true },
  'ranp-m': { label: 'RANP-m (saves memory)', usesLambda: true, needsScores: true },
  'ranp-p': { label: 'RANP-p (saves parameters)', usesLambda: true, needsScores: true },
  balanced: { label: 'Balanced SNIP neurons (no resource weighting)', usesLambda: false, needsScores: true },
  vanilla: { label: 'Vanilla SNIP neurons (baseline)', usesLambda: false, needsScores: true },
  random: { label: 'Random neurons (baseline)', usesLambda: false, needsScores: false },
  layerwise: { label: 'Layer-wise top neurons (baseline)', usesLambda: false, needsScores: true },
  'weight-snip': { label: 'Weight-level SNIP (unstructured baseline)', usesLambda: false, needsScores: true },
} as const satisfies Record<string, PruneMethodInfo>;

export type PruneMethodName = keyof typeof PRUNE_METHODS;

export const PRUNE_METHOD_NAMES = Object.keys(PRUNE_METHODS) as [PruneMethodName, ...PruneMethodName[]];

export const DEFAULT_PRUNE_METHOD: PruneMethodName = 'ranp-f';

export function isPruneMethodName(name: string): name is PruneMethodName {
  return Object.hasOwn(PRUNE_METHODS, name);
}
