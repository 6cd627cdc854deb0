/** Bounds on prune settings that the protocol validates and the UI's controls offer. */
export const PRUNE_LIMITS = {
  /** Sparsity is a share of neurons removed, in [0, maxSparsityExclusive). */
  maxSparsityExclusive: 1,
  maxLambda: 1000,
  /** Largest width multiplier of the full net, and largest scale-up factor of the pruned one. */
  maxWidth: 8,
  maxScoringSamples: 10_000,
} as const;

/**
 * Bounds on the rest of an experiment's settings: the experiment config schema
 * (engine/protocol/experiment-config.ts) checks them and the experiment form offers them.
 */
export const EXPERIMENT_LIMITS = {
  maxEpochs: 10_000,
  maxBatchSize: 256,
  maxSamplesPerEpoch: 1_000_000,
  maxLearningRate: 10,
  /** Seeds are non-negative 32-bit integers. */
  maxSeed: 2 ** 31 - 1,
  /** Voxels per side of an input (training, pruning or validation crop). */
  minInputEdge: 4,
  maxInputEdge: 512,
  maxNameLength: 200,
  maxPathLength: 4096,
} as const;
