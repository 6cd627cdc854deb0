/**
 * How a run's once-only evaluation is named among its metrics. After training, an experiment
 * evaluates the net again from its best checkpoint (the first epoch reaching the best validation
 * score; the last weights when it ran no validation) and stores each metric as `final <metric>`
 * beside the per-epoch `val <metric>` curve. So a stored "final dice mean" is the best epoch's,
 * not the last epoch's, and the UI labels it so.
 */
const FINAL_PREFIX = 'final ';

/** The stored name of a metric's final (best-checkpoint) evaluation: "final dice mean". */
export function finalMetricName(metric: string): string {
  return `${FINAL_PREFIX}${metric}`;
}

export function isFinalMetric(name: string): boolean {
  return name.startsWith(FINAL_PREFIX);
}

/** A stored metric name for people: "final dice mean" → "dice mean (best epoch)"; others unchanged. */
export function metricTitle(name: string): string {
  return isFinalMetric(name) ? `${name.slice(FINAL_PREFIX.length)} (best epoch)` : name;
}
