import { z } from 'zod';
import { PRUNE_METHOD_NAMES } from '../domain/methods.js';
import {
  BudgetSchema,
  LambdaSchema,
  ScoringSamplesSchema,
  SeedSchema,
  SparsitySchema,
  WidthSchema,
} from './experiment-config.js';
import {
  FolderPathSchema,
  MemoryConventionSchema,
  ResourceTotalsSchema,
  TaskSchema,
  TripleSchema,
} from './common.js';

/** Pruning methods offered in the UI: engine/domain/methods.ts. */
export const PruneMethodSchema = z.enum(PRUNE_METHOD_NAMES);

export const PruneSettingsSchema = z.object({
  task: TaskSchema,
  net: z.string().min(1),
  /** Dataset folder the scores are computed on. */
  dataset: FolderPathSchema,
  method: PruneMethodSchema,
  /** Neuron sparsity in [0, 1); with a budget, unused. */
  sparsity: SparsitySchema,
  /** Prune at the smallest sparsity whose pruned net meets this (as an experiment's prune.budget). */
  budget: BudgetSchema.optional(),
  lambda: LambdaSchema,
  inputSize: TripleSchema.optional(),
  width: WidthSchema.optional(),
  scoringSamples: ScoringSamplesSchema.optional(),
  seed: SeedSchema.optional(),
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
  /** The sparsity previewed: the one asked for, or the one the budget search found. */
  sparsity: z.number(),
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
