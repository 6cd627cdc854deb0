import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend, parseBackendName } from '../backend/index.js';
import type { NetDescription } from '../nn/description.js';
import { buildNet } from '../nn/zoo/registry.js';
import { assertTrainingFits } from '../train/memory-check.js';
import { resolveConfig } from './config.js';
import { openSplit } from './open-data.js';
import { experimentInputSize, openEvaluationSplit } from './evaluate-role.js';
import { pruneForTraining } from './prune-net.js';
import { compareRuns, type ExperimentResult, type NetRunResult } from './result.js';
import type { NetRole } from './role-run.js';
import { collectRunEnvironment } from './run-environment.js';
import { trainRole, type RoleOptions } from './train-role.js';

export { resolveConfig, ConfigError, type ExperimentConfig, type ExperimentConfigInput } from './config.js';
export type { ExperimentResult, NetRunResult } from './result.js';
export { scoreOnData, type ScoringSpec } from './score-on-data.js';
export type { NetRole } from './role-run.js';
export { queueExperimentRuns } from './role-run.js';
export { InterruptRequest } from './interrupt.js';

export interface ExperimentOptions extends RoleOptions {
  /** Checkpoints and predictions without a store; default a new temp folder. */
  workDir?: string;
}

/**
 * One experiment as in the paper: score and prune the net at initialization, then train the unpruned
 * and the pruned net under identical conditions (same seed, data order, epochs, optimizer), evaluate
 * both, and compare accuracy and cost. Transfer (prune.from) and scale-up (prune.inputSize,
 * prune.widen) re-target the pruned net before training. The phases are one module each: open data
 * (open-data.ts), score (score-on-data.ts), prune (prune-net.ts), train role (train-role.ts),
 * evaluate (evaluate-role.ts), record (record.ts).
 */
export async function runExperiment(
  rawConfig: unknown,
  options: ExperimentOptions = {},
): Promise<ExperimentResult> {
  const config = resolveConfig(rawConfig);
  const log = options.onLog ?? (() => {});
  const backend = await selectBackend(
    config.backend ? { prefer: parseBackendName(config.backend, 'backend') } : {},
  );
  log(`backend: ${backend.chosen}${backend.native ? ' (native kernels)' : ''}`);
  // Once for both roles: the data folders' fingerprints read every file's ends.
  const environment = options.store
    ? await collectRunEnvironment({
        data: config.data,
        ...(config.prune.from?.data ? { transfer: config.prune.from.data } : {}),
      })
    : undefined;

  const inputSize = experimentInputSize(config);
  const train = await openSplit(config.task, config.data, 'train', inputSize);
  const val = await openEvaluationSplit(config, 'val', inputSize);
  const fullNet = buildNet(config.net, {
    width: config.width,
    inputSize,
    classes: train.classes,
    inputChannels: train.inputChannels,
  });
  const checkFits = (net: NetDescription, what: string) => {
    const verdict = assertTrainingFits(
      {
        net,
        inputSize,
        batch: config.train.batchSize,
        optimizer: config.train.optimizer,
        recomputeActivations: config.train.recomputeActivations,
      },
      { what, tensorMemory: backend.tensorMemory },
    );
    if (verdict)
      log(
        `${what}: predicted training peak ${(verdict.neededBytes / 2 ** 20).toFixed(0)} MiB of ${(verdict.availableBytes / 2 ** 20).toFixed(0)} MiB available`,
      );
  };
  // Before minutes of scoring: the unpruned baseline is the largest net the experiment trains.
  if (config.trainUnpruned) checkFits(fullNet, 'unpruned net');

  const pruned = await pruneForTraining(config, train, inputSize, options.onProgress);
  const { report } = pruned;
  log(
    `pruned ${pruned.scoredNet.name} with ${config.prune.method} at sparsity ${report.requestedSparsity}` +
      (report.budget ? ` (the smallest meeting the ${report.budget.budget.resource} budget)` : '') +
      `: ${report.summary}`,
  );
  checkFits(pruned.net, 'pruned net');

  const workDir =
    options.workDir ?? (options.store ? undefined : mkdtempSync(join(tmpdir(), 'ranp-experiment-')));
  const roles: NetRole[] = config.trainUnpruned ? ['unpruned', 'pruned'] : ['pruned'];
  const results: Partial<Record<NetRole, NetRunResult>> = {};
  let parentRunId: number | undefined;
  let cancelled = false;
  try {
    for (const [netIndex, role] of roles.entries()) {
      const run = await trainRole({
        netIndex,
        netCount: roles.length,
        role,
        net: role === 'pruned' ? pruned.net : fullNet,
        config,
        train,
        val,
        inputSize,
        options,
        workDir,
        parentRunId,
        inherited: role === 'pruned' ? pruned.inherited : undefined,
        report,
        backend: backend.chosen,
        environment,
      });
      results[role] = run;
      if (role === 'unpruned') parentRunId = run.runId;
      if (run.training.outcome === 'cancelled') {
        cancelled = true;
        break;
      }
    }
  } finally {
    if (pruned.inherited) tf.dispose([...pruned.inherited.values()]);
  }

  const base = {
    config,
    backend: backend.chosen,
    inputSize,
    prune: { report, sparsity: report.requestedSparsity, realizedSparsity: report.realizedSparsity },
  };
  if (!results.pruned)
    return {
      ...base,
      unpruned: results.unpruned,
      pruned: results.unpruned as NetRunResult,
      outcome: 'cancelled',
    };
  const comparison = results.unpruned && !cancelled ? compareRuns(results.pruned, results.unpruned) : {};
  return {
    ...base,
    unpruned: results.unpruned,
    pruned: results.pruned,
    ...comparison,
    outcome: cancelled ? 'cancelled' : 'completed',
  };
}
