import { z } from 'zod';
import { WORK_STATUSES } from '../domain/statuses.js';
import { ProgressSchema } from './common.js';
import { ExperimentConfigInputSchema, StudyGridSchema } from './experiment-config.js';

/** Most experiments one study queues (each trains two nets). */
export const MAX_STUDY_EXPERIMENTS = 64;

/**
 * A sweep queued as one study: the experiment config (as experiment.start takes it) for every
 * cell of the grid (method × sparsity × seed, as in a cluster study file), each cell an experiment
 * job (unpruned and pruned net) in the queue.
 */
export const StudyConfigSchema = z.strictObject({
  config: ExperimentConfigInputSchema,
  grid: StudyGridSchema,
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
