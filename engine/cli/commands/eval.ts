import type { SplitName } from '../../data/index.js';
import { parseBackendName, selectBackend } from '../../backend/index.js';
import { resolveConfig } from '../../experiment/config.js';
import {
  evaluationSettings,
  experimentInputSize,
  openEvaluationSplit,
} from '../../experiment/evaluate-role.js';
import { warnIfJsKernels } from '../js-kernels-warning.js';
import { buildModel } from '../../nn/model.js';
import type { JsonObject } from '../../store/types.js';
import { evaluateModel } from '../../train/evaluate.js';
import { loadCheckpointWeights } from '../../train/loop.js';
import { trainableNet } from '../../train/net-model.js';
import { createProgressPrinter } from '../../util/progress.js';
import { formatFigure } from '../../experiment/report.js';
import type { CliCommand } from '../command.js';
import { optionalNumber, parseChoice, parseCommandArgs, parseRunId } from '../args.js';
import { openStoreAt, STORE_LOCATION_OPTIONS } from '../store-options.js';
import { recordEvaluationArtifacts } from '../../experiment/record.js';
import { trainedNetOf } from '../../experiment/trained-net.js';
import { collectRunEnvironment, recordDataFileLists } from '../../experiment/run-environment.js';

const EVAL_SPLITS: readonly SplitName[] = ['val', 'test'];

const USAGE = `Usage: ranp eval --run ID [options]

Evaluates a trained run's net (its best checkpoint, else its last) on a split of its dataset, or
another folder in the same layout, and records the result as an 'evaluate' run. Crops, window
overlap, normalization, sample limit and backend are the run's own (its stored config), so on its
validation split eval reproduces the run's final metrics.

Options:
  --run ID          the training run (see ranp runs list)
  --split NAME      val (default) or test
  --data DIR        dataset folder (default: the run's)
  --samples N       evaluate the first N samples only (default: the run's eval.samples)
  --predictions     write prediction label maps (stored as artifacts of the evaluate run)
  --db FILE | --data-dir DIR   experiment store
  --json            machine-readable output`;

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: "evaluate a trained run's net on a dataset split",
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      run: { type: 'string' },
      split: { type: 'string', default: 'val' },
      data: { type: 'string' },
      samples: { type: 'string' },
      predictions: { type: 'boolean' },
      json: { type: 'boolean' },
      ...STORE_LOCATION_OPTIONS,
    });
    const runId = parseRunId(values.run, '--run ID');
    const split = parseChoice('split', values.split, EVAL_SPLITS)!;
    const limit = optionalNumber('samples', values.samples, 'a positive integer');
    const store = openStoreAt(values);
    try {
      const source = store.getRun(runId);
      const config = resolveConfig(source.config, `run ${runId} config`);
      const { net, checkpointName, checkpointPath } = trainedNetOf(store, runId, 'evaluate');
      const backend = await selectBackend(
        config.backend ? { prefer: parseBackendName(config.backend, 'backend') } : {},
      );
      warnIfJsKernels(backend, io);
      const inputSize = experimentInputSize(config);
      const settings = { ...evaluationSettings(config, inputSize), ...(limit ? { limit } : {}) };
      const dataDir = values.data ?? config.data;
      const data = await openEvaluationSplit(config, split, inputSize, dataDir);
      const environment = await collectRunEnvironment({ data: dataDir });
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
        config: {
          evaluates: runId,
          split,
          data: dataDir,
          evaluation: { ...settings, limit: settings.limit ?? null, cropSize: config.eval.cropSize ?? null },
        } as JsonObject,
        backend: backend.chosen,
        environment: environment.summary,
        status: 'running',
      });
      try {
        recordDataFileLists(store, run.id, environment);
        const trainable = trainableNet(model);
        loadCheckpointWeights(trainable, checkpointPath);
        const evaluation = await evaluateModel(trainable, data, {
          ...settings,
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
                `run ${run.id}: ${checkpointName} of run ${runId} on ${split}`,
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
