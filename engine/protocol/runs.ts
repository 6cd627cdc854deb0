import { z } from 'zod';
import { MetricRecordSchema, ResourceTotalsSchema, ScalarRecordSchema, ScalarSchema } from './common.js';

export const RunSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  status: z.string(),
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
});

export const RunComparisonSchema = z.object({
  runs: z.array(RunSummarySchema),
  /** Only the parameters whose values differ between the runs, one value per run (null: unset). */
  differingParams: z.array(z.object({ key: z.string(), values: z.array(ScalarSchema) })),
  curves: z.array(CurveSchema),
});

export const ExportFormatSchema = z.enum(['json', 'csv', 'net']);

export type RunSummary = z.infer<typeof RunSummarySchema>;
export type RunDetail = z.infer<typeof RunDetailSchema>;
export type Curve = z.infer<typeof CurveSchema>;
export type RunComparison = z.infer<typeof RunComparisonSchema>;
export type ExportFormat = z.infer<typeof ExportFormatSchema>;
