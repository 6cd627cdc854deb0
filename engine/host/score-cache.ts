import { scoreOnData } from '../experiment/score-on-data.js';
import type { NetDescription } from '../nn/description.js';
import { createPruner, type Pruner } from '../prune/prune.js';
import { searchMaxSparsity } from '../prune/search.js';
import type { WeightScores } from '../prune/types.js';
import type { PruneSettings } from '../protocol/prune.js';
import type { Disposable } from '../util/disposable.js';

/** Scoring default when the request does not say (small: the preview must come quickly). */
const DEFAULT_SCORING_SAMPLES = 2;

/**
 * Weight scores and pruners, kept per setting so that moving the sparsity slider re-selects on
 * cached scores (no data, no gradients): the first preview of a setting scores, later ones are instant.
 */
export class ScoreCache implements Disposable {
  private readonly scores = new Map<string, Promise<{ net: NetDescription; scores: WeightScores }>>();
  private readonly pruners = new Map<string, { pruner: Pruner; maxSparsity?: number }>();

  /** The pruner for these settings, and whether its scores were already cached. */
  async pruner(
    settings: PruneSettings,
    dataset: string,
  ): Promise<{ pruner: Pruner; cached: boolean; maxSparsity(): number }> {
    const scoreKey = JSON.stringify([
      settings.net,
      settings.width ?? 1,
      settings.inputSize ?? null,
      dataset,
      settings.scoringSamples ?? DEFAULT_SCORING_SAMPLES,
      settings.seed ?? 0,
    ]);
    const cached = this.scores.has(scoreKey);
    if (!cached) {
      const pending = computeScores(settings, dataset);
      this.scores.set(scoreKey, pending);
      pending.catch(() => this.scores.delete(scoreKey)); // a failure is not cached
    }
    const { net, scores } = await (this.scores.get(scoreKey) as Promise<{
      net: NetDescription;
      scores: WeightScores;
    }>);
    const prunerKey = JSON.stringify([scoreKey, settings.method, settings.lambda]);
    let entry = this.pruners.get(prunerKey);
    if (!entry) {
      entry = {
        pruner: createPruner(net, scores, {
          method: settings.method,
          lambda: settings.lambda,
          inputSize: net.inputSize,
          seed: settings.seed ?? 0,
        }),
      };
      this.pruners.set(prunerKey, entry);
    }
    const held = entry;
    return {
      pruner: held.pruner,
      cached,
      maxSparsity: () => (held.maxSparsity ??= searchMaxSparsity(held.pruner)),
    };
  }

  dispose(): void {
    this.scores.clear();
    this.pruners.clear();
  }
}

async function computeScores(
  settings: PruneSettings,
  dir: string,
): Promise<{ net: NetDescription; scores: WeightScores }> {
  const { net, scores } = await scoreOnData({
    task: settings.task,
    net: settings.net,
    width: settings.width ?? 1,
    inputSize: settings.inputSize,
    data: dir,
    samples: settings.scoringSamples ?? DEFAULT_SCORING_SAMPLES,
    seed: settings.seed ?? 0,
  });
  return { net, scores };
}
