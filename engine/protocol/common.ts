import { z } from 'zod';
import { EXPERIMENT_LIMITS } from '../domain/limits.js';
import { MEMORY_CONVENTION_NAMES } from '../domain/memory.js';
import { TASK_NAMES } from '../domain/tasks.js';

/** Building blocks shared by the request, response and event schemas. */
export const TaskSchema = z.enum(TASK_NAMES);
export const MemoryConventionSchema = z.enum(MEMORY_CONVENTION_NAMES);
/** A dataset folder as the user gave it (the engine checks it against the allowed folders). */
export const FolderPathSchema = z.string().min(1).max(EXPERIMENT_LIMITS.maxPathLength);
export const TripleSchema = z.tuple([
  z.number().int().positive(),
  z.number().int().positive(),
  z.number().int().positive(),
]);
/** Run parameters and metrics are flat records so that runs with different settings compare column by column. */
export const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const ScalarRecordSchema = z.record(z.string(), ScalarSchema);
export const MetricRecordSchema = z.record(z.string(), z.number());

export const ProgressSchema = z.object({
  phase: z.string(),
  done: z.number(),
  total: z.number(),
  elapsedSeconds: z.number(),
  figures: MetricRecordSchema.optional(),
  /** All of the job's work in training steps (engine/util/progress.ts OverallProgress). */
  overall: z
    .object({ done: z.number(), total: z.number(), secondsPerStep: z.number().positive().optional() })
    .optional(),
});

/**
 * Totals of the three resources RANP trades off (docs/method.md section 4), as sent: the engine's
 * ResourceTotals (engine/resources/count.ts) with the memory in MB only.
 */
export const ResourceTotalsSchema = z.object({
  flops: z.number(),
  params: z.number(),
  memoryMB: z.number(),
});

export type Task = z.infer<typeof TaskSchema>;
/** A spatial size or step in (depth/time, height, width) order. */
export type Triple = z.infer<typeof TripleSchema>;
export type Scalar = z.infer<typeof ScalarSchema>;
export type ResourceTotals = z.infer<typeof ResourceTotalsSchema>;
