import { DEFAULT_MEMORY_CONVENTION } from '../../domain/memory.js';
import { buildReport } from '../../prune/report.js';
import { sentTotals } from '../../resources/count.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Pruner } from '../../prune/pruner.js';
import { sparsityForBudget } from '../../prune/search.js';
import type { ResourceBudget } from '../../prune/types.js';
import type { Handler } from '../context.js';

/** The sparsity an experiment with this budget prunes at (engine/prune/search.ts); unmet budgets are the request's fault. */
function budgetSparsity(pruner: Pruner, budget: ResourceBudget, maxSparsity: () => number): number {
  try {
    return sparsityForBudget(pruner, budget, maxSparsity).sparsity;
  } catch (error) {
    throw new ProtocolError('invalid-params', (error as Error).message);
  }
}

/** Kept neurons and resources at one sparsity, from cached scores (scored on first use). */
export const previewPrune: Handler<'prune.preview'> = async (settings, ctx) => {
  const dataset = ctx.folders.check(settings.dataset);
  const { pruner, cached, maxSparsity } = await ctx.scores.pruner(settings, dataset);
  const full = pruner.fullResources();
  const before = sentTotals(full.total);
  const memoryConvention = full.memoryConvention ?? DEFAULT_MEMORY_CONVENTION;
  const sparsity = settings.budget ? budgetSparsity(pruner, settings.budget, maxSparsity) : settings.sparsity;
  const evaluation = pruner.evaluate(sparsity);
  const emptied = evaluation.cleaned.emptiedLayers;
  if (emptied.length > 0) {
    return {
      layers: [],
      memoryConvention,
      before,
      after: before,
      sparsity,
      emptyLayer: emptied[0],
      maxSparsity: maxSparsity(),
      cachedScores: cached,
    };
  }
  const report = buildReport(pruner, evaluation, pruner.describe(evaluation), undefined);
  return {
    layers: report.layers.map((l) => ({
      name: l.name,
      kind: l.kind,
      kept: l.kept,
      total: l.neurons,
      before: sentTotals(l.before),
      after: sentTotals(l.after),
    })),
    memoryConvention,
    before,
    after: sentTotals(report.resources.after),
    sparsity,
    // Always: the form's slider stops there (searched once per method and λ, then cached).
    maxSparsity: maxSparsity(),
    cachedScores: cached,
  };
};
