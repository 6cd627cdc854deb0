import { z } from 'zod';
import { ProgressSchema } from './common.js';
import { JobInfoSchema } from './jobs.js';

/** Events the engine pushes without a request: event name → data schema. */
export const events = {
  /** Progress of a running job, at most a few times a second. */
  progress: z.object({ jobId: z.string(), progress: ProgressSchema, etaSeconds: z.number().optional() }),
  /** A job started, finished, failed or was cancelled. */
  job: JobInfoSchema,
  log: z.object({
    level: z.enum(['info', 'warn', 'error']),
    message: z.string(),
    jobId: z.string().optional(),
    time: z.string(),
  }),
} as const;

export type EventName = keyof typeof events;
export type EventData<E extends EventName> = z.infer<(typeof events)[E]>;
