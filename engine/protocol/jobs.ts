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

/**
 * queued → running → finished | failed | cancelled | interrupted. A queued job cancelled never
 * starts; 'interrupted' means stopped with its runs resumable (the UI closed, by the user's setting).
 */
export const JobStateSchema = z.enum(['queued', 'running', 'finished', 'failed', 'cancelled', 'interrupted']);

export const JobInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  state: JobStateSchema,
  /** When the job entered the queue (always set by the engine). */
  submittedAt: z.string().optional(),
  /** Absent while queued. */
  startedAt: z.string().optional(),
  /** Place in the queue while queued: 1 starts next. */
  queuePosition: z.number().int().positive().optional(),
  finishedAt: z.string().optional(),
  progress: ProgressSchema.optional(),
  etaSeconds: z.number().optional(),
  runIds: z.array(z.string()),
  error: z.string().optional(),
});

export type ExperimentConfig = z.input<typeof ExperimentConfigSchema>;
export type JobState = z.infer<typeof JobStateSchema>;
export type JobInfo = z.infer<typeof JobInfoSchema>;
