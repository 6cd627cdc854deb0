import type { RunSummary } from '../../protocol/runs.js';
import type { Store } from '../../store/index.js';
import type { RunRecord } from '../../store/types.js';

/** Metrics the experiment records per run that are costs, not results (shown as resources). */
const RESOURCE_METRICS = { flops: 'FLOPs', params: 'params', memoryMB: 'memory MB' } as const;
const HIDDEN_METRICS = new Set<string>([...Object.values(RESOURCE_METRICS), 'lr']);
const SUMMARY_METRICS = new Set(['seconds per step', 'peak tensor MB']);

/** A stored run as the run table shows it. */
export function runSummary(store: Store, run: RunRecord): RunSummary {
  const last = new Map(store.lastMetrics(run.id).map((m) => [m.name, m.value]));
  const flops = last.get(RESOURCE_METRICS.flops);
  const params = last.get(RESOURCE_METRICS.params);
  const memoryMB = last.get(RESOURCE_METRICS.memoryMB);
  return {
    id: String(run.id),
    name: run.name ?? `${run.net} ${run.role ?? run.task}`,
    createdAt: new Date(run.createdAt).toISOString(),
    status: run.status,
    task: run.dataset ?? run.task,
    net: run.net,
    method: run.method ?? 'none',
    sparsity: run.sparsity ?? 0,
    pruned: run.role === 'pruned',
    experimentId: run.parentRunId !== null ? String(run.parentRunId) : undefined,
    // Final evaluation and cost figures; per-epoch values ('val …', loss) are curves, not table cells.
    metrics: Object.fromEntries(
      [...last].filter(([name]) => name.startsWith('final ') || SUMMARY_METRICS.has(name)),
    ),
    resources:
      flops !== undefined && params !== undefined && memoryMB !== undefined
        ? { flops, params, memoryMB }
        : undefined,
  };
}

/** Metrics recorded per epoch (curves), as opposed to the once-only final ones. */
export function curveMetricNames(store: Store, runIds: number[]): string[] {
  const names = new Set<string>();
  for (const id of runIds)
    for (const row of store.metrics(id))
      if (!row.name.startsWith('final ') && !HIDDEN_METRICS.has(row.name) && !SUMMARY_METRICS.has(row.name))
        names.add(row.name);
  return [...names].sort();
}
