import { z } from 'zod';
import { WORK_STATUSES } from '../domain/statuses.js';
import {
  MetricRecordSchema,
  ResourceTotalsSchema,
  ScalarRecordSchema,
  ScalarSchema,
  TripleSchema,
} from './common.js';

/** A metric's value and the epoch it was measured after. */
export const EpochValueSchema = z.object({ value: z.number(), epoch: z.number().int().nonnegative() });

/**
 * The task's headline validation metric (engine/domain/tasks.ts primaryMetric): its best epoch and
 * its last epoch. The stored "final" evaluation scores the best checkpoint, so it is the best, not the last.
 */
export const HeadlineMetricSchema = z.object({
  metric: z.string(),
  best: EpochValueSchema.optional(),
  last: EpochValueSchema.optional(),
});

export const RunSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  status: z.enum(WORK_STATUSES),
  task: z.string(),
  net: z.string(),
  method: z.string(),
  sparsity: z.number(),
  pruned: z.boolean(),
  /** Runs of one experiment (the unpruned and pruned net) share it. */
  experimentId: z.string().optional(),
  /** Final metrics, e.g. { 'val dice': 0.71, loss: 0.3 }. */
  metrics: MetricRecordSchema,
  resources: ResourceTotalsSchema.optional(),
  /** Place of the run's job in the engine's queue (1 starts next); only while it waits. */
  queuePosition: z.number().int().positive().optional(),
  headline: HeadlineMetricSchema.optional(),
  /** The dataset folder trained on. */
  dataPath: z.string().optional(),
  inputSize: TripleSchema.optional(),
  width: z.number().optional(),
  /** Epochs planned and epochs recorded so far. */
  epochs: z.number().int().nonnegative().optional(),
  epochsDone: z.number().int().nonnegative(),
  /** From start to end (to now while running). */
  durationSeconds: z.number().nonnegative().optional(),
  /** Peak resident memory of the training process. */
  peakMemoryMB: z.number().optional(),
  backend: z.string().optional(),
  seed: z.number().optional(),
  lambda: z.number().optional(),
  /** Where an imported run came from (e.g. a study task on a cluster); absent for runs made in this store. */
  origin: z.string().optional(),
});

export const CurveSchema = z.object({
  runId: z.string(),
  metric: z.string(),
  points: z.array(z.tuple([z.number(), z.number()])),
});

export const RunDetailSchema = RunSummarySchema.extend({
  params: ScalarRecordSchema,
  curves: z.array(CurveSchema),
  /** Samples with stored predictions (for the 3D viewer). */
  predictions: z.array(z.string()),
  /** Each evaluated sample's metrics from the run's evaluation report (e.g. per-case Dice); empty without one. */
  perSample: z.array(z.object({ id: z.string(), metrics: MetricRecordSchema })),
  /**
   * Where and on what the run ran, one entry per dot path (e.g. 'native.isa', 'data.data.digest'):
   * backend and its packages, native kernels, threads, versions, data fingerprints. Absent for runs
   * stored before the store recorded it.
   */
  environment: ScalarRecordSchema.optional(),
  /** Why a failed run failed (e.g. every weight score 0), as stored with it. */
  error: z.string().optional(),
});

/** Stored runs that differ only in their seed: each metric's last value as mean ± sample std (n − 1). */
export const SeedGroupSchema = z.object({
  net: z.string(),
  method: z.string().nullable(),
  sparsity: z.number().nullable(),
  role: z.string().nullable(),
  runIds: z.array(z.string()),
  seeds: z.array(z.number().nullable()),
  metrics: z.array(z.object({ name: z.string(), n: z.number().int(), mean: z.number(), std: z.number() })),
});

export const RunComparisonSchema = z.object({
  runs: z.array(RunSummarySchema),
  /** Only the parameters whose values differ between the runs, one value per run (null: unset). */
  differingParams: z.array(z.object({ key: z.string(), values: z.array(ScalarSchema) })),
  curves: z.array(CurveSchema),
  /** Neurons/channels each pruned run kept per prunable layer (its stored prune report). */
  pruneLayers: z.array(
    z.object({
      runId: z.string(),
      layers: z.array(
        z.object({
          name: z.string(),
          kept: z.number().int().nonnegative(),
          total: z.number().int().nonnegative(),
        }),
      ),
    }),
  ),
  /** The seed groups (store.groupBySeed) holding a compared run, also with stored runs not selected. */
  seedGroups: z.array(SeedGroupSchema),
});

/** json/csv: the run's records; net: the pruned net's description; onnx/pytorch: the trained net (engine/interchange). */
export const ExportFormatSchema = z.enum(['json', 'csv', 'net', 'onnx', 'pytorch']);

export type RunSummary = z.infer<typeof RunSummarySchema>;
export type EpochValue = z.infer<typeof EpochValueSchema>;
export type HeadlineMetric = z.infer<typeof HeadlineMetricSchema>;
export type RunDetail = z.infer<typeof RunDetailSchema>;
export type Curve = z.infer<typeof CurveSchema>;
export type RunComparison = z.infer<typeof RunComparisonSchema>;
export type SeedGroupSummary = z.infer<typeof SeedGroupSchema>;
export type ExportFormat = z.infer<typeof ExportFormatSchema>;
