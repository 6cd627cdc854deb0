/**
 * The one vocabulary for the state of long work: a stored run and the job that trains it go
 * queued → running → completed | failed | cancelled | interrupted ('interrupted': stopped with
 * the work resumable — the UI closed by the user's setting, or the process died).
 */
export const WORK_STATUSES = [
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
] as const;

export type WorkStatus = (typeof WORK_STATUSES)[number];
