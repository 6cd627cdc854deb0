import { z } from 'zod';
import { PRUNE_LIMITS } from '../domain/limits.js';
import { PRUNE_METHOD_NAMES } from '../domain/methods.js';
import { MemoryConventionSchema, ResourceTotalsSchema, TaskSchema, TripleSchema } from './common.js';

/** Pruning methods offered in the UI: engine/domain/methods.ts. */
export const PruneMethodSchema = z.enum(PRUNE_METHOD_NAMES);

export const PruneSettingsSchema = z.object({
  task: TaskSchema,
  net: z.string().min(1),
  /** Dataset folder the scores are computed on. */
  dataset: z.string().min(1),
  method: PruneMethodSchema,
  /** Neuron sparsity in [0, 1). */
  sparsity: z.number().min(0).lt(PRUNE_LIMITS.maxSparsityExclusive),
  lambda: z.number().min(0).max(PRUNE_LIMITS.maxLambda),
  inputSize: TripleSchema.optional(),
  width: z.number().positive().max(PRUNE_LIMITS.maxWidth).optional(),
  scoringSamples: z.number().int().positive().max(PRUNE_LIMITS.maxScoringSamples).optional(),
  seed: z.number().int().nonnegative().optional(),
});

export const PrunedLayerSchema = z.object({
  name: z.string(),
  kind: z.string(),
  kept: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  before: ResourceTotalsSchema,
  after: ResourceTotalsSchema,
});

export const PrunePreviewSchema = z.object({
  layers: z.array(PrunedLayerSchema),
  /** Which outputs the memory figures sum (engine/domain/memory.ts). */
  memoryConvention: MemoryConventionSchema,
  before: ResourceTotalsSchema,
  after: ResourceTotalsSchema,
  /** Set when the sparsity empties a layer: the pruning cannot be used. */
  emptyLayer: z.string().optional(),
  /** Largest sparsity that empties no layer, from the cached scores (the form's slider maximum). */
  maxSparsity: z.number().optional(),
  /** False the first time: the scores were computed for this request. */
  cachedScores: z.boolean(),
});

export type PruneMethod = z.infer<typeof PruneMethodSchema>;
export type PruneSettings = z.infer<typeof PruneSettingsSchema>;
export type PrunePreview = z.infer<typeof PrunePreviewSchema>;
export type PrunedLayer = z.infer<typeof PrunedLayerSchema>;
