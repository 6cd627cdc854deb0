import { z } from 'zod';
import { ResourceTotalsSchema, TaskSchema, TripleSchema } from './common.js';

/** Pruning methods offered in the UI: RANP variants and the paper's baselines (ranp-method.md section 1). */
export const PruneMethodSchema = z.enum([
  'ranp-f',
  'ranp-m',
  'ranp-p',
  'balanced',
  'vanilla',
  'random',
  'layerwise',
  'weight-snip',
]);

export const PruneSettingsSchema = z.object({
  task: TaskSchema,
  net: z.string().min(1),
  /** Dataset folder the scores are computed on. */
  dataset: z.string().min(1),
  method: PruneMethodSchema,
  /** Neuron sparsity in [0, 1). */
  sparsity: z.number().min(0).lt(1),
  lambda: z.number().min(0).max(1000),
  inputSize: TripleSchema.optional(),
  width: z.number().positive().max(8).optional(),
  scoringSamples: z.number().int().positive().max(10_000).optional(),
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
  before: ResourceTotalsSchema,
  after: ResourceTotalsSchema,
  /** Set when the sparsity empties a layer: the pruning cannot be used. */
  emptyLayer: z.string().optional(),
  /** Largest sparsity that empties no layer, from the cached scores. */
  maxSparsity: z.number().optional(),
  /** False the first time: the scores were computed for this request. */
  cachedScores: z.boolean(),
});

export type PruneMethod = z.infer<typeof PruneMethodSchema>;
export type PruneSettings = z.infer<typeof PruneSettingsSchema>;
export type PrunePreview = z.infer<typeof PrunePreviewSchema>;
export type PrunedLayer = z.infer<typeof PrunedLayerSchema>;
