import type { ResourceTotals, RunSummary } from '../engine/protocol/index.js';
import { PRUNE_METHOD_NAMES } from '../engine/protocol/index.js';
import { RUN_PALETTE } from './charts/run-colours.js';
import { formatPercent } from './format.js';

/** Cost axes of the accuracy-against-cost chart. */
export type CostAxis = keyof ResourceTotals;

/**
 * The unpruned run a run's cost and accuracy may be divided by: same task and same net. Runs of
 * different tasks or nets are not comparable, so no ratio is ever computed between them.
 */
export function baselineFor(run: RunSummary, runs: readonly RunSummary[]): RunSummary | undefined {
  if (!run.pruned) return undefined;
  return runs.find((r) => !r.pruned && r.task === run.task && r.net === run.net && r.resources);
}

/** True when every run has the same task and net (ratios and one chart make sense). */
export function allComparable(runs: readonly RunSummary[]): boolean {
  return new Set(runs.map((r) => `${r.task}\u0000${r.net}`)).size <= 1;
}

/** A method keeps its colour in every chart: by its place in the domain's method list. */
export function methodColour(method: string): string {
  const index = method === 'unpruned' ? 0 : PRUNE_METHOD_NAMES.indexOf(method as never) + 1;
  return RUN_PALETTE[Math.max(0, index) % RUN_PALETTE.length];
}

export function methodOf(run: RunSummary): string {
  return run.pruned ? run.method : 'unpruned';
}

/** What was done to a run's net, under its name (two runs of an experiment's sweep share one): "ranp-f, 30% removed". */
export function pruningOf(run: RunSummary): string {
  return run.pruned ? `${run.method}, ${formatPercent(run.sparsity, 0)} removed` : 'unpruned';
}

/** Runs grouped by task and net: one accuracy-against-cost chart per group. */
export function chartGroups(runs: readonly RunSummary[]): { key: string; runs: RunSummary[] }[] {
  const groups = new Map<string, RunSummary[]>();
  for (const r of runs)
    if (r.resources && r.headline?.best) {
      const key = `${r.task} · ${r.net}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  return [...groups].map(([key, group]) => ({ key, runs: group }));
}
