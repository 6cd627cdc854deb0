import { ProtocolError } from '../../protocol/errors.js';
import type { Handler } from '../context.js';

export const listJobs: Handler<'jobs.list'> = async (_params, ctx) => ({ jobs: ctx.jobs.list() });

export const cancelJob: Handler<'job.cancel'> = async ({ jobId }, ctx) => {
  if (!ctx.jobs.list().some((j) => j.id === jobId))
    throw new ProtocolError('not-found', `no job with id '${jobId}'`);
  return { cancelled: ctx.jobs.cancel(jobId) };
};
