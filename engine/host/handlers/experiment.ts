import { runExperiment } from '../../experiment/index.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Handler } from '../context.js';

/** Prune, then train the unpruned and pruned nets, as a background job recorded in the store. */
export const startExperiment: Handler<'experiment.start'> = async (params, ctx) => {
  const running = ctx.jobs.running;
  if (running) throw new ProtocolError('busy', `'${running.title}' is still running`);
  const data = ctx.folders.check(params.dataset);
  const config = {
    name: params.name,
    task: params.task,
    data,
    net: params.net,
    width: params.width ?? 1,
    inputSize: params.inputSize,
    seed: params.seed ?? 0,
    trainUnpruned: params.trainUnpruned,
    prune: {
      method: params.method,
      sparsity: params.sparsity,
      lambda: params.lambda,
      scoringSamples: params.scoringSamples,
    },
    train: {
      epochs: params.epochs,
      ...(params.batchSize !== undefined ? { batchSize: params.batchSize } : {}),
      ...(params.samplesPerEpoch !== undefined ? { samplesPerEpoch: params.samplesPerEpoch } : {}),
      // Merged into the task's default schedule (same kind), so only the rate changes.
      ...(params.learningRate !== undefined ? { schedule: { lr: params.learningRate } } : {}),
    },
  };
  const store = ctx.store();
  const title = params.name ?? `${params.net} · ${params.method} ${Math.round(params.sparsity * 100)}%`;
  const job = ctx.jobs.start(title, async (control) => {
    await runExperiment(config, {
      store,
      signal: control.signal,
      onProgress: control.onProgress,
      onLog: control.log,
      onRun: (id) => control.addRun(String(id)),
    });
  });
  return { job };
};
