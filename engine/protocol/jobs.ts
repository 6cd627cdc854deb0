import { z } from 'zod';
import { WORK_STATUSES } from '../domain/statuses.js';
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

/** A job's state, in the words of its runs' status (engine/domain/statuses.ts); a queued job cancelled never starts. */
export const JobStateSchema = z.enum(WORK_STATUSES);

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
  /** The run the job trains now (its row's status is 'running'); changes as the job moves to the next run. */
  activeRunId: z.string().optional(),
  error: z.string().optional(),
});

export type ExperimentConfig = z.input<typeof ExperimentConfigSchema>;
export type JobState = z.infer<typeof JobStateSchema>;
export type JobInfo = z.infer<typeof JobInfoSchema>;
