import { finalMetricName, isFinalMetric } from '../../domain/metric-names.js';
import { isTaskName, TASKS } from '../../domain/tasks.js';
import { buildNet } from '../../nn/zoo/registry.js';
import type { EpochValue, HeadlineMetric, RunSummary } from '../../protocol/runs.js';
import type { Store } from '../../store/index.js';
import type { JsonValue, MetricRow, RunRecord } from '../../store/types.js';

/** Metrics the experiment records per run that are costs, not results (shown as resources). */
const RESOURCE_METRICS = { flops: 'FLOPs', params: 'params', memoryMB: 'memory MB' } as const;
const HIDDEN_METRICS = new Set<string>([...Object.values(RESOURCE_METRICS), 'lr']);
const SUMMARY_METRICS = new Set(['seconds per step', 'peak tensor MB', 'peak process RSS MB']);
const PEAK_RSS_METRIC = 'peak process RSS MB';

/** The headline metric's best and last validation epochs; without validation, the final (last-weights) score. */
export function headlineMetric(
  task: string,
  rows: readonly MetricRow[],
  epochsDone: number,
): HeadlineMetric | undefined {
  if (!isTaskName(task)) return undefined;
  const metric = TASKS[task].primaryMetric;
  const curve = rows
    .filter((r) => r.name === `val ${metric}`)
    .map((r): EpochValue => ({ value: r.value, epoch: r.epoch ?? r.step }))
    .sort((a, b) => a.epoch - b.epoch);
  if (curve.length > 0) {
    // The first epoch reaching the maximum, as the training loop's best checkpoint keeps it.
    const best = curve.reduce((b, p) => (p.value > b.value ? p : b));
    return { metric, best, last: curve[curve.length - 1] };
  }
  const final = rows.find((r) => r.name === finalMetricName(metric));
  return final ? { metric, last: { value: final.value, epoch: epochsDone } } : { metric };
}

function field(config: Record<string, JsonValue>, ...keys: string[]): JsonValue | undefined {
  let value: JsonValue | undefined = config;
  for (const key of keys)
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
  return value;
}

type Triple = [number, number, number];

const defaultInputSizes = new Map<string, Triple | undefined>();

/** The stored input size, else the net's default (the config leaves it out then). */
function inputSizeOf(run: RunRecord): Triple | undefined {
  const stored = field(run.config, 'inputSize');
  if (Array.isArray(stored) && stored.length === 3 && stored.every((n) => typeof n === 'number'))
    return [stored[0], stored[1], stored[2]] as Triple;
  if (typeof stored === 'number') return [stored, stored, stored];
  if (!defaultInputSizes.has(run.net)) {
    let size: Triple | undefined;
    try {
      size = buildNet(run.net).inputSize;
    } catch {
      size = undefined; // a net this build does not know (imported run)
    }
    defaultInputSizes.set(run.net, size);
  }
  return defaultInputSizes.get(run.net);
}

function numberOrUndefined(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function durationSeconds(run: RunRecord, now: number): number | undefined {
  if (run.startedAt === null) return undefined;
  const end = run.endedAt ?? (run.status === 'running' ? now : null);
  return end === null ? undefined : Math.max(0, (end - run.startedAt) / 1000);
}

/** A stored run as the run table shows it. */
export function runSummary(store: Store, run: RunRecord, now = Date.now()): RunSummary {
  const last = new Map(store.lastMetrics(run.id).map((m) => [m.name, m.value]));
  const rows = store.metrics(run.id);
  const flops = last.get(RESOURCE_METRICS.flops);
  const params = last.get(RESOURCE_METRICS.params);
  const memoryMB = last.get(RESOURCE_METRICS.memoryMB);
  const epochsDone = new Set(rows.filter((r) => r.name === 'loss').map((r) => r.epoch)).size;
  const task = run.dataset ?? run.task;
  const peakBytes = Math.max(0, ...store.systemMetrics(run.id).map((s) => s.peakMemoryBytes ?? 0));
  const peakMemoryMB = last.get(PEAK_RSS_METRIC) ?? (peakBytes > 0 ? peakBytes / 2 ** 20 : undefined);
  const data = field(run.config, 'data');
  const headline = headlineMetric(task, rows, epochsDone);
  return {
    id: String(run.id),
    name: run.name ?? `${run.net} ${run.role ?? run.task}`,
    createdAt: new Date(run.createdAt).toISOString(),
    status: run.status,
    task,
    net: run.net,
    method: run.method ?? 'none',
    sparsity: run.sparsity ?? 0,
    pruned: run.role === 'pruned',
    experimentId: run.parentRunId !== null ? String(run.parentRunId) : undefined,
    // Final evaluation and cost figures; per-epoch values ('val …', loss) are curves, not table cells.
    metrics: Object.fromEntries(
      [...last].filter(([name]) => isFinalMetric(name) || SUMMARY_METRICS.has(name)),
    ),
    resources:
      flops !== undefined && params !== undefined && memoryMB !== undefined
        ? { flops, params, memoryMB }
        : undefined,
    ...(headline ? { headline } : {}),
    ...(typeof data === 'string' ? { dataPath: data } : {}),
    inputSize: inputSizeOf(run),
    width: numberOrUndefined(field(run.config, 'width')),
    epochs: numberOrUndefined(field(run.config, 'train', 'epochs')),
    epochsDone,
    durationSeconds: durationSeconds(run, now),
    peakMemoryMB,
    backend: run.backend ?? undefined,
    seed: run.seed ?? undefined,
    lambda: run.lambda ?? undefined,
    ...(run.origin ? { origin: run.origin } : {}),
  };
}

/** Metrics recorded per epoch (curves), as opposed to the once-only final ones. */
export function curveMetricNames(store: Store, runIds: number[]): string[] {
  const names = new Set<string>();
  for (const id of runIds)
    for (const row of store.metrics(id))
      if (!isFinalMetric(row.name) && !HIDDEN_METRICS.has(row.name) && !SUMMARY_METRICS.has(row.name))
        names.add(row.name);
  return [...names].sort();
}
