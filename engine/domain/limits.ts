/** Bounds on prune settings that the protocol validates and the UI's controls offer. */
export const PRUNE_LIMITS = {
  /** Sparsity is a share of neurons removed, in [0, maxSparsityExclusive). */
  maxSparsityExclusive: 1,
  maxLambda: 1000,
  maxWidth: 8,
  maxScoringSamples: 10_000,
} as const;
