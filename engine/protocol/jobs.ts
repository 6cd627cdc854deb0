import { z } from 'zod';
import { WORK_STATUSES } from '../domain/statuses.js';
import { PRUNE_LIMITS } from '../domain/limits.js';
import { ProgressSchema, TaskSchema, TripleSchema } from './common.js';
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
  /** Scale-up: score and prune at this (smaller) input size, train at inputSize. */
  pruneInputSize: TripleSchema.optional(),
  /** Scale-up: multiply the pruned net's neurons by this before training. */
  widen: z.number().positive().max(PRUNE_LIMITS.maxWidth).optional(),
  /** Transfer: score and prune on another task's dataset folder; the net is re-targeted to this data. */
  transferFrom: z
    .object({ task: TaskSchema, dataset: z.string().min(1).max(4096) })
    .strict()
    .optional(),
});

/** Most experiments one study queues (each trains two nets). */
export const MAX_STUDY_EXPERIMENTS = 64;

/**
 * A sweep queued as one study: every method × sparsity × seed of otherwise identical experiments,
 * each an experiment job (unpruned and pruned net) in the queue.
 */
export const StudyConfigSchema = ExperimentConfigSchema.omit({
  method: true,
  sparsity: true,
  seed: true,
}).extend({
  methods: z.array(PruneSettingsSchema.shape.method).min(1).max(16),
  sparsities: z.array(PruneSettingsSchema.shape.sparsity).min(1).max(32),
  seeds: z.array(z.number().int().nonnegative()).min(1).max(32),
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
  /**
   * Seconds of work left: running, every net it still trains; queued, its whole planned work at the
   * speed measured last. Absent until there is a measurement (and a plan) to go on.
   */
  etaSeconds: z.number().optional(),
  /** The study (a sweep queued at once) the job belongs to. */
  study: z
    .object({
      id: z.string(),
      title: z.string(),
      /** The job's place in the study (0-based, queue order) and the study's number of jobs. */
      index: z.number().int().nonnegative(),
      size: z.number().int().positive(),
    })
    .optional(),
  runIds: z.array(z.string()),
  /** The run the job trains now (its row's status is 'running'); changes as the job moves to the next run. */
  activeRunId: z.string().optional(),
  error: z.string().optional(),
});

export type ExperimentConfig = z.input<typeof ExperimentConfigSchema>;
export type StudyConfig = z.input<typeof StudyConfigSchema>;
export type JobState = z.infer<typeof JobStateSchema>;
export type JobInfo = z.infer<typeof JobInfoSchema>;
export type JobStudy = NonNullable<JobInfo['study']>;

/** The time left of several jobs (the whole queue, a study): the sum of their estimates. */
export interface RemainingWork {
  /** Seconds, summed over the jobs that have an estimate. */
  seconds: number;
  /** Jobs not yet ended. */
  jobs: number;
  /** Of those, jobs without an estimate yet (their work is not in `seconds`). */
  unestimated: number;
}

export function remainingWork(jobs: readonly JobInfo[]): RemainingWork {
  const open = jobs.filter((j) => j.state === 'running' || j.state === 'queued');
  return {
    seconds: open.reduce((sum, j) => sum + (j.etaSeconds ?? 0), 0),
    jobs: open.length,
    unestimated: open.filter((j) => j.etaSeconds === undefined).length,
  };
}
