import { lambdaUsed } from '../prune/criteria/registry.js';
import type { Store } from '../store/index.js';
import type { CreateRunInput, JsonObject } from '../store/types.js';
import type { ExperimentConfig } from './config.js';

export type NetRole = 'unpruned' | 'pruned';

/** The store row of one role's training run (name, method and sparsity as that role has them). */
export function roleRunInput(
  config: ExperimentConfig,
  role: NetRole,
  parentRunId: number | undefined,
  backend?: string,
): CreateRunInput {
  return {
    name: `${config.name ?? config.task} ${role}`,
    task: 'train',
    dataset: config.task,
    net: config.net,
    method: role === 'pruned' ? config.prune.method : 'none',
    sparsity: role === 'pruned' ? config.prune.sparsity : 0,
    // The λ the criterion uses; its default is that of the task the net is scored on (transfer: prune.from).
    lambda:
      role === 'pruned'
        ? lambdaUsed(config.prune.method, config.prune.from?.task ?? config.task, config.prune.lambda)
        : undefined,
    backend,
    seed: config.seed,
    role,
    parentRunId,
    config: JSON.parse(JSON.stringify(config)) as JsonObject,
  };
}

/**
 * The runs of an experiment a job queue accepted, created now with status 'queued' and owned by
 * this process (so a crash leaves them 'interrupted'); runExperiment continues them through
 * `waitingRuns`. The pruned run's parent is the unpruned one, as when runExperiment creates them.
 */
export function queueExperimentRuns(
  store: Store,
  config: ExperimentConfig,
): Partial<Record<NetRole, number>> {
  const queued = (role: NetRole, parent: number | undefined) =>
    store.createRun({ ...roleRunInput(config, role, parent), status: 'queued', queuedHere: true }).id;
  const unpruned = config.trainUnpruned ? queued('unpruned', undefined) : undefined;
  return { ...(unpruned !== undefined ? { unpruned } : {}), pruned: queued('pruned', unpruned) };
}
