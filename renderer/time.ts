import type { RemainingWork } from '../engine/protocol/index.js';

/** "m:ss" or "h:mm:ss"; "--:--" while unknown. Same format as the CLI's progress bar. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** One time left for several jobs: their summed estimates, and how many have none yet. */
export function formatTimeLeft(work: RemainingWork): string {
  if (work.jobs === 0) return formatDuration(0);
  if (work.unestimated === work.jobs) return formatDuration(undefined);
  const rest = work.unestimated ? ` + ${work.unestimated} not estimated yet` : '';
  return `${formatDuration(work.seconds)}${rest}`;
}
