import { formatDuration, type RemainingWork } from '../engine/protocol/index.js';

/** One time left for several jobs: their summed estimates, and how many have none yet. */
export function formatTimeLeft(work: RemainingWork): string {
  if (work.jobs === 0) return formatDuration(0);
  if (work.unestimated === work.jobs) return formatDuration(undefined);
  const rest = work.unestimated ? ` + ${work.unestimated} not estimated yet` : '';
  return `${formatDuration(work.seconds)}${rest}`;
}
