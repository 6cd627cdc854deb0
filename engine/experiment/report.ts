import type { BudgetSearch } from '../prune/search.js';
import type { ExperimentResult, NetRunResult } from './result.js';

/** A number as people read it: integers with thousands separators, others to 4 significant digits. */
export function formatFigure(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Number(value.toPrecision(4)).toString();
}

/** How the budget search's sparsity came about, in the budget's unit (bytes for memory). */
function budgetFound({ budget, target, full, achieved }: BudgetSearch): string {
  const share = (amount: number) => `${formatFigure((100 * amount) / full)}%`;
  return (
    `the smallest meeting ${budget.resource} ≤ ${formatFigure(Math.floor(target))} (${share(target)} of the full net): ` +
    `${formatFigure(achieved)} (${share(achieved)})`
  );
}

export interface ComparisonRow {
  label: string;
  unpruned?: number;
  pruned: number;
  /** pruned / unpruned for costs, pruned − unpruned for accuracy metrics. */
  change?: number;
  changeKind: 'ratio' | 'difference';
}

/** Accuracy first, then the paper's cost figures, then what was measured while training. */
export function comparisonRows(result: ExperimentResult): ComparisonRow[] {
  const { unpruned, pruned } = result;
  const rows: ComparisonRow[] = [];
  const metricNames = Object.keys(pruned.metrics);
  for (const name of metricNames)
    rows.push({
      label: name,
      unpruned: unpruned?.metrics[name],
      pruned: pruned.metrics[name],
      change: unpruned ? pruned.metrics[name] - unpruned.metrics[name] : undefined,
      changeKind: 'difference',
    });
  const cost = (label: string, of: (r: NetRunResult) => number) => {
    const p = of(pruned);
    const u = unpruned ? of(unpruned) : undefined;
    rows.push({ label, unpruned: u, pruned: p, change: u ? p / u : undefined, changeKind: 'ratio' });
  };
  cost('final train loss', (r) => r.training.history.at(-1)?.loss ?? NaN);
  cost(`FLOPs (${result.inputSize.join('x')})`, (r) => r.resources.flops);
  cost('params', (r) => r.resources.params);
  cost('feature memory MB', (r) => r.resources.memoryMB);
  cost('seconds / training step', (r) => r.training.secondsPerStep);
  cost('peak tensor MB (training)', (r) => r.training.peakTensorBytes / 2 ** 20);
  cost('peak process RSS MB', (r) => r.training.peakRssBytes / 2 ** 20);
  return rows;
}

export function formatComparison(result: ExperimentResult): string {
  const rows = comparisonRows(result);
  const header = ['', 'unpruned', 'pruned', 'pruned vs unpruned'];
  const cells = rows.map((r) => [
    r.label,
    formatFigure(r.unpruned),
    formatFigure(r.pruned),
    r.change === undefined
      ? '-'
      : r.changeKind === 'ratio'
        ? `×${formatFigure(r.change)}`
        : `${r.change >= 0 ? '+' : ''}${formatFigure(r.change)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const { config, prune } = result;
  return [
    `${config.task}: ${config.net} (width ${config.width}), ${config.prune.method} at neuron sparsity ${formatFigure(prune.sparsity)}` +
      (prune.report.budget ? ` (${budgetFound(prune.report.budget)})` : '') +
      ' ' +
      `(realized ${formatFigure(prune.realizedSparsity)}), ${config.train.epochs} epochs, seed ${config.seed}, backend ${result.backend}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    result.outcome === 'cancelled' ? '(cancelled: figures are partial)' : '',
  ]
    .filter(Boolean)
    .join('\n');
}
