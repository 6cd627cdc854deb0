import { formatDuration } from '../domain/durations.js';

/** Progress of long work: what the CLI bar and the UI both show. */
export interface Progress {
  /** What is being done, e.g. 'scoring', 'epoch 3/20'. */
  phase: string;
  done: number;
  total: number;
  /** Seconds since the phase started. */
  elapsedSeconds: number;
  /** Extra figures shown beside the bar, e.g. { loss: 0.42, 'samples/s': 3.1 }. */
  figures?: Record<string, number>;
  /**
   * Where the phase sits in all of the job's work, counted in training steps of every net it trains
   * (an experiment: the unpruned and the pruned net), with the seconds one step has taken so far, so
   * a time left covers both nets and not only the one training now.
   */
  overall?: OverallProgress;
}

export interface OverallProgress {
  done: number;
  total: number;
  /** Wall seconds per step of the net training now, validation included; absent until measured. */
  secondsPerStep?: number;
}

/** Remaining seconds from the rate so far; undefined until there is a rate. */
export function etaSeconds(p: Progress): number | undefined {
  if (p.done <= 0 || p.total <= 0 || p.elapsedSeconds <= 0) return undefined;
  return ((p.total - p.done) * p.elapsedSeconds) / p.done;
}

/** One line: `phase [#####.....] 50/100 1:02<1:02 loss=0.42`. */
export function formatProgressLine(p: Progress, width = 24): string {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const filled = Math.round(fraction * width);
  const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
  const figures = Object.entries(p.figures ?? {})
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`)
    .join(' ');
  return `${p.phase} [${bar}] ${p.done}/${p.total} ${formatDuration(p.elapsedSeconds)}<${formatDuration(etaSeconds(p))} ${figures}`.trimEnd();
}

/** A progress bar on a terminal (redrawn in place), or a line every few seconds in a log. */
export function createProgressPrinter(stream: NodeJS.WriteStream, interactive: boolean) {
  let lastLog = 0;
  return {
    update(p: Progress) {
      const line = formatProgressLine(p);
      if (interactive) stream.write(`\r\x1b[2K${line}`);
      else if (Date.now() - lastLog > 5000 || p.done === p.total) {
        lastLog = Date.now();
        stream.write(`${line}\n`);
      }
    },
    finish() {
      if (interactive) stream.write('\n');
    },
  };
}
