import { createProgressPrinter } from '../util/progress.js';
import type { Store } from '../store/index.js';
import { parseBackendName, selectBackend } from '../backend/index.js';
import {
  resolveConfig,
  runExperiment,
  type ExperimentOptions,
  type ExperimentResult,
} from '../experiment/index.js';
import { warnIfJsKernels } from './js-kernels-warning.js';
import { formatComparison } from '../experiment/report.js';
import type { CliIO } from './command.js';

/**
 * Runs an experiment for the CLI: progress bar on stderr, Ctrl-C cancels cleanly (checkpoint kept,
 * resumable with --work-dir DIR --resume), the comparison table (or JSON) on stdout.
 */
export async function runExperimentCli(
  config: unknown,
  io: CliIO,
  options: { store?: Store; json: boolean; workDir?: string; resume?: boolean },
): Promise<number> {
  // The selection runExperiment makes (one per process), made here first for the warning.
  const { backend } = resolveConfig(config);
  warnIfJsKernels(await selectBackend(backend ? { prefer: parseBackendName(backend, 'backend') } : {}), io);
  const abort = new AbortController();
  const onSigint = () => {
    io.err('\ncancelling after the current step (a checkpoint is written)…');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  const printer = createProgressPrinter(process.stderr, io.interactive);
  const experimentOptions: ExperimentOptions = {
    store: options.store,
    workDir: options.workDir,
    resume: options.resume,
    signal: abort.signal,
    onProgress: (p) => printer.update(p),
    onLog: (m) => {
      printer.finish();
      io.err(m);
    },
    onRun: (id, role) => io.err(`run ${id}: ${role} net`),
  };
  let result: ExperimentResult;
  try {
    result = await runExperiment(config, experimentOptions);
  } finally {
    printer.finish();
    process.off('SIGINT', onSigint);
    options.store?.dispose();
  }
  io.out(options.json ? JSON.stringify(summaryJson(result), null, 2) : formatComparison(result));
  return result.outcome === 'cancelled' ? 130 : 0;
}

/** The result without the bulky parts (nets, per-class confusion counts). */
function summaryJson(result: ExperimentResult) {
  const net = (r: ExperimentResult['pruned'] | undefined) =>
    r && {
      runId: r.runId,
      resources: r.resources,
      metrics: r.metrics,
      secondsPerStep: r.training.secondsPerStep,
      peakTensorBytes: r.training.peakTensorBytes,
      peakRssBytes: r.training.peakRssBytes,
      history: r.training.history,
      predictions: r.predictions,
      checkpoint: r.checkpoint,
    };
  return {
    outcome: result.outcome,
    config: result.config,
    backend: result.backend,
    inputSize: result.inputSize,
    prune: {
      sparsity: result.prune.sparsity,
      realizedSparsity: result.prune.realizedSparsity,
      ...(result.prune.report.budget && { budget: result.prune.report.budget }),
      resources: result.prune.report.resources,
    },
    unpruned: net(result.unpruned),
    pruned: net(result.pruned),
    ratios: result.ratios,
    metricGaps: result.metricGaps,
  };
}
