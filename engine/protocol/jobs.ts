import { z } from 'zod';
import { ProgressSchema } from './common.js';
import { PruneSettingsSchema } from './prune.js';

/** Everything needed to start one experiment: prune, then train the unpruned and the pruned net. */
export const ExperimentConfigSchema = PruneSettingsSchema.extend({
  name: z.string().max(200).optional(),
  epochs: z.number().int().positive().max(10_000),
  batchSize: z.number().int().positive().max(256).optional(),
  learningRate: z.number().positive().max(10).optional(),
  /** Train the unpruned reference net too (the comparison needs it). */
  trainUnpruned: z.boolean().default(true),
  /** Training samples per epoch (tiny experiments); all when absent. */
  samplesPerEpoch: z.number().int().positive().optional(),
});

export const JobStateSchema = z.enum(['running', 'finished', 'failed', 'cancelled']);

export const JobInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  state: JobStateSchema,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  progress: ProgressSchema.optional(),
  etaSeconds: z.number().optional(),
  runIds: z.array(z.string()),
  error: z.string().optional(),
});

export type ExperimentConfig = z.input<typeof ExperimentConfigSchema>;
export type JobState = z.infer<typeof JobStateSchema>;
export type JobInfo = z.infer<typeof JobInfoSchema>;
