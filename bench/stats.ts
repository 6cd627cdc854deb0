/** Timing of one measured case: medians over repeated runs after warm-up, with their spread. */
export interface Timing {
  /** Measured runs (after warm-up). */
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** (max − min) / median: 0.05 means the runs lay within 5% of each other. */
  relativeSpread: number;
  /** Warm-up runs (JIT, primitive creation, allocator growth), not in the median. */
  warmupMs: number[];
  /** True when one run exceeded the time budget and that warm-up run is the only sample. */
  warmupOnly: boolean;
  /**
   * Median CPU time (user + system, all threads) of the measured runs. On a machine shared with
   * other work, wall time includes waiting for a core; CPU time does not, so work / CPU time is the
   * per-core throughput.
   */
  medianCpuMs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(
  samplesMs: number[],
  cpuMs: number[],
  warmupMs: number[],
  warmupOnly = false,
): Timing {
  const medianMs = median(samplesMs);
  const minMs = Math.min(...samplesMs);
  const maxMs = Math.max(...samplesMs);
  return {
    samplesMs,
    medianMs,
    minMs,
    maxMs,
    relativeSpread: medianMs > 0 ? (maxMs - minMs) / medianMs : 0,
    warmupMs,
    warmupOnly,
    medianCpuMs: median(cpuMs),
  };
}

export interface MeasureOptions {
  reps: number;
  warmup: number;
  /** Seconds one case may take: reps shrink (to at least 1) so slow backends still finish. */
  budgetSeconds: number;
}

/**
 * Runs `run` `warmup` times, then up to `reps` times within the budget. `run` must finish its
 * work before returning (read results back) so the wall time is the work's.
 */
export async function measure(run: () => Promise<void> | void, options: MeasureOptions): Promise<Timing> {
  const warmupMs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < Math.max(1, options.warmup); i++) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    await run();
    warmupMs.push(performance.now() - t);
    if ((performance.now() - started) / 1000 > options.budgetSeconds)
      return summarize([warmupMs.at(-1)!], [cpuMsSince(cpu)], warmupMs, true);
  }
  const perRun = warmupMs.at(-1)!;
  const reps = Math.max(
    1,
    Math.min(options.reps, Math.floor((options.budgetSeconds * 1000) / Math.max(perRun, 1e-3))),
  );
  const samplesMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    await run();
    samplesMs.push(performance.now() - t);
    cpuMs.push(cpuMsSince(cpu));
  }
  return summarize(samplesMs, cpuMs, warmupMs);
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
