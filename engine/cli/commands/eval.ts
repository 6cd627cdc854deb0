import { parseArgs } from 'node:util';
import { openDataset, type SplitName } from '../../data/index.js';
import { resolveConfig } from '../../experiment/config.js';
import type { NetDescription } from '../../nn/description.js';
import { buildModel } from '../../nn/model.js';
import type { JsonObject } from '../../store/types.js';
import { evaluateModel } from '../../train/evaluate.js';
import { loadCheckpointWeights } from '../../train/loop.js';
import { trainableNet } from '../../train/net-model.js';
import { createProgressPrinter } from '../../util/progress.js';
import { formatFigure } from '../../experiment/report.js';
import { UsageError, type CliCommand } from '../command.js';
import { openStoreFrom, STORE_OPTIONS } from './experiment-shared.js';
import { recordEvaluationArtifacts } from '../../experiment/record.js';

const USAGE = `Usage: ranp eval --run ID [options]

Evaluates a trained run's net (its best checkpoint, else its last) on a split of its dataset, or
another folder in the same layout, and records the result as an 'evaluate' run.

Options:
  --run ID          the training run (see ranp runs list)
  --split NAME      val (default) or test
  --data DIR        dataset folder (default: the run's)
  --samples N       evaluate the first N samples only
  --predictions     write prediction label maps (stored as artifacts of the evaluate run)
  --db FILE | --data-dir DIR   experiment store
  --json            machine-readable output`;

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: "evaluate a trained run's net on a dataset split",
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        run: { type: 'string' },
        split: { type: 'string', default: 'val' },
        data: { type: 'string' },
        samples: { type: 'string' },
        predictions: { type: 'boolean' },
        json: { type: 'boolean' },
        ...STORE_OPTIONS,
      },
      strict: true,
    });
    const runId = Number(values.run);
    if (!Number.isSafeInteger(runId) || runId <= 0)
      throw new UsageError(`--run: expected a run id, got '${values.run ?? ''}'`);
    if (values.split !== 'val' && values.split !== 'test')
      throw new UsageError(`--split: expected val or test, got '${values.split}'`);
    const store = openStoreFrom({ ...values, 'no-store': false });
    if (!store) throw new UsageError('eval needs the experiment store');
    try {
      const source = store.getRun(runId);
      const config = resolveConfig(source.config, `run ${runId} config`);
      const artifacts = store.listArtifacts(runId).map((a) => a.name);
      const checkpointName = ['best.ckpt', 'last.ckpt'].find((n) => artifacts.includes(n));
      if (!artifacts.includes('net.json') || !checkpointName)
        throw new Error(
          `run ${runId} has no trained net to evaluate (needs net.json and a checkpoint artifact; it has: ${artifacts.join(', ') || 'none'})`,
        );
      const net = JSON.parse(store.readArtifact(runId, 'net.json').toString('utf8')) as NetDescription;
      const data = await openDataset(config.task, values.data ?? config.data, values.split as SplitName, {});
      const model = buildModel(net, { seed: config.seed });
      const printer = createProgressPrinter(process.stderr, io.interactive);
      const run = store.createRun({
        task: 'evaluate',
        dataset: config.task,
        net: source.net,
        method: source.method ?? undefined,
        sparsity: source.sparsity ?? undefined,
        role: source.role ?? undefined,
        parentRunId: runId,
        seed: config.seed,
        config: { evaluates: runId, split: values.split, data: values.data ?? config.data } as JsonObject,
        status: 'running',
      });
      try {
        const trainable = trainableNet(model);
        loadCheckpointWeights(trainable, store.verifyArtifact(runId, checkpointName).path);
        const evaluation = await evaluateModel(trainable, data, {
          limit: values.samples ? Number(values.samples) : undefined,
          overlap: config.eval.overlap,
          patch: net.inputSize,
          predictionsDir: values.predictions ? `${store.paths.staging}/eval-${run.uuid}` : undefined,
          onProgress: (p) => printer.update(p),
        });
        printer.finish();
        store.recordEpoch(run.id, {
          epoch: 1,
          metrics: Object.entries(evaluation.metrics).map(([name, value]) => ({ name, value })),
        });
        recordEvaluationArtifacts(store, run.id, evaluation);
        store.updateRunStatus(run.id, 'completed');
        io.out(
          values.json
            ? JSON.stringify(
                {
                  run: run.id,
                  evaluates: runId,
                  checkpoint: checkpointName,
                  metrics: evaluation.metrics,
                  perSample: evaluation.perSample,
                },
                null,
                2,
              )
            : [
                `run ${run.id}: ${checkpointName} of run ${runId} on ${values.split}`,
                ...Object.entries(evaluation.metrics).map(([k, v]) => `  ${k.padEnd(16)} ${formatFigure(v)}`),
              ].join('\n'),
        );
        return 0;
      } catch (error) {
        store.updateRunStatus(run.id, 'failed', {
          error: error instanceof Error ? error.message : String(error),
        });
        throw error;
      } finally {
        model.dispose();
      }
    } finally {
      store.dispose();
    }
  },
};
