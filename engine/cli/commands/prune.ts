import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UsageError, type CliCommand, type CliIO } from '../command.js';
import type { NetDescription, Triple } from '../../nn/description.js';
import { MEMORY_CONVENTIONS } from '../../domain/memory.js';
import { DEFAULT_PRUNE_METHOD, PRUNE_METHOD_NAMES, PRUNE_METHODS } from '../../domain/methods.js';
import { defaultLambdas } from '../../domain/tasks.js';
import { selectBackend } from '../../backend/index.js';
import { warnIfJsKernels } from '../js-kernels-warning.js';
import { buildModel } from '../../nn/model.js';
import { buildNet, listNets, zooEntry } from '../../nn/zoo/registry.js';
import { scoreOnData } from '../../experiment/score-on-data.js';
import {
  resolveMethodName,
  DEFAULT_SCORING_SAMPLES,
  EmptiedLayersError,
  createPruner,
  loadScores,
  materialize,
  pruneWith,
  saveScores,
  scoreWeights,
  searchMaxSparsity,
  type Aggregation,
  type PruneReport,
  type WeightScores,
} from '../../prune/index.js';
import { syntheticSamples } from '../../prune/synthetic.js';
import { AGGREGATIONS, type ResourceBudget } from '../../prune/types.js';
import { createProgressPrinter, type Progress } from '../../util/progress.js';
import {
  optionalNumber,
  parseBudgetOption,
  parseChoice,
  parseCommandArgs,
  parseInputSize,
  parseNetName,
  parseNumber,
} from '../args.js';
import { formatTable, humanCount } from '../format.js';
import { openStoreFrom, STORE_OPTIONS } from '../store-options.js';
import { recordPruneReport } from '../../experiment/record.js';
import { collectRunEnvironment, recordDataFileLists } from '../../experiment/run-environment.js';
import { lambdaUsed } from '../../prune/criteria/registry.js';
import type { Store } from '../../store/index.js';
import type { JsonObject } from '../../store/types.js';

const USAGE = `Usage: ranp prune --net NAME [--method M] (--sparsity S | --budget R=V | --max-sparsity)
                  (--scores FILE | --data DIR | --synthetic) [options]

Prunes a zoo net at initialization (RANP, Xu et al. 3DV 2020) and reports per-layer kept neurons,
channels after cleaning, and FLOPs/params/memory before and after.

Options:
  --net NAME            ${listNets()
    .map((n) => n.name)
    .join(' | ')}
  --method M            ${PRUNE_METHOD_NAMES.join(' | ')} (default ${DEFAULT_PRUNE_METHOD})
  --sparsity S          neuron sparsity in [0, 1] (paper: ${listNets()
    .map((n) => `${n.name} ${zooEntry(n.name).paperSparsity}`)
    .join(', ')})
  --budget R=V          smallest sparsity meeting a resource target: flops=0.1 (fraction),
                        memory=2GB (bytes of float32 feature maps at --input), params=1.5M
  --max-sparsity        largest sparsity that empties no layer (bisection, tolerance 1e-4), and prune there
  --scores FILE         weight scores from a score file (no data needed)
  --data DIR            score on the task's training split in DIR
  --synthetic           score on a generated noise batch (labelled 'synthetic' in the report)
  --samples N           scoring samples (default ${DEFAULT_SCORING_SAMPLES}; synthetic: 2)
  --input N|DxHxW       input size for scoring and resource counting (default: the net's)
  --width W             channel width multiplier of the net (default 1)
  --lambda L            RANP reweighting strength (default per task: ${defaultLambdas()})
  --aggregation A       ${AGGREGATIONS.join(' | ')} (default sum)
  --seed N              initialization / random-pruning seed (default 0)
  --inherit             the pruned weights inherit the full net's surviving weights (default: re-initialized)
  --out DIR             write report.json, scores.ranpscores, pruned-net.json, pruned-weights.ranpw
  --json                print the report as JSON
  --db FILE | --data-dir DIR   experiment store: the run is stored as a 'prune' run (ranp runs list
                        --task prune) with its settings, λ, backend, environment, report and scores
  --no-store            do not store the run`;

interface Flags {
  net: string;
  method: string;
  sparsity?: number;
  budget?: ResourceBudget;
  maxSparsity: boolean;
  scores?: string;
  data?: string;
  synthetic: boolean;
  samples?: number;
  input?: Triple;
  width: number;
  lambda?: number;
  aggregation: Aggregation;
  seed: number;
  inherit: boolean;
  out?: string;
  json: boolean;
  store: { db?: string; 'data-dir'?: string; 'no-store'?: boolean };
}

function parseFlags(argv: string[]): Flags {
  const { values } = parseCommandArgs(argv, {
    net: { type: 'string' },
    method: { type: 'string', default: DEFAULT_PRUNE_METHOD },
    sparsity: { type: 'string' },
    budget: { type: 'string' },
    'max-sparsity': { type: 'boolean', default: false },
    scores: { type: 'string' },
    data: { type: 'string' },
    synthetic: { type: 'boolean', default: false },
    samples: { type: 'string' },
    input: { type: 'string' },
    width: { type: 'string', default: '1' },
    lambda: { type: 'string' },
    aggregation: { type: 'string', default: 'sum' },
    seed: { type: 'string', default: '0' },
    inherit: { type: 'boolean', default: false },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
    ...STORE_OPTIONS,
  });
  const net = parseNetName(values.net);
  const method = resolveMethodName(values.method);
  if (!method)
    throw new UsageError(`unknown method '${values.method}' (known: ${PRUNE_METHOD_NAMES.join(', ')})`);
  const targets = [values.sparsity !== undefined, values.budget !== undefined, values['max-sparsity']].filter(
    Boolean,
  );
  if (targets.length !== 1)
    throw new UsageError('give exactly one of --sparsity, --budget and --max-sparsity');
  const sources = [values.scores !== undefined, values.data !== undefined, values.synthetic].filter(Boolean);
  if (sources.length > 1) throw new UsageError('give at most one of --scores, --data and --synthetic');
  if (sources.length === 0 && PRUNE_METHODS[method].needsScores) {
    throw new UsageError(
      `method '${values.method}' needs scores: give --scores FILE, --data DIR or --synthetic`,
    );
  }
  return {
    net,
    method: values.method,
    sparsity: optionalNumber('sparsity', values.sparsity, 'a number in [0, 1]'),
    budget: values.budget === undefined ? undefined : parseBudgetOption(values.budget),
    maxSparsity: values['max-sparsity'],
    scores: values.scores,
    data: values.data,
    synthetic: values.synthetic,
    samples: optionalNumber('samples', values.samples, 'a positive integer'),
    input: values.input === undefined ? undefined : parseInputSize(values.input),
    width: parseNumber('width', values.width, 'a positive number'),
    lambda: optionalNumber('lambda', values.lambda, 'a non-negative number'),
    aggregation: parseChoice('aggregation', values.aggregation, AGGREGATIONS)!,
    seed: parseNumber('seed', values.seed, 'a non-negative integer'),
    inherit: values.inherit,
    out: values.out,
    json: values.json,
    store: { db: values.db, 'data-dir': values['data-dir'], 'no-store': values['no-store'] },
  };
}

/** The scores to prune by (none for a method that reads none), and the net fitted to the scoring data. */
async function obtainScores(
  flags: Flags,
  net: NetDescription,
  inputSize: Triple,
  io: CliIO,
): Promise<{ net: NetDescription; scores?: WeightScores }> {
  if (flags.scores) return { net, scores: loadScores(flags.scores) };
  if (!flags.data && !flags.synthetic) return { net };
  const progress = createProgressPrinter(process.stderr, io.interactive);
  const onProgress = (p: Progress) => progress.update(p);
  try {
    if (flags.data)
      return await scoreOnData({
        task: net.task,
        net: flags.net,
        width: flags.width,
        inputSize,
        data: flags.data,
        samples: flags.samples ?? DEFAULT_SCORING_SAMPLES,
        seed: flags.seed,
        onProgress,
      });
    const model = buildModel(net, { seed: flags.seed });
    try {
      const samples = syntheticSamples(net, inputSize, flags.samples ?? 2, flags.seed);
      return {
        net,
        scores: await scoreWeights(model, samples, { seed: flags.seed, source: 'synthetic', onProgress }),
      };
    } finally {
      model.dispose();
    }
  } finally {
    progress.finish();
  }
}

const pct = (ratio: number): string => `${(100 * ratio).toFixed(2)}%`;

export function formatPruneReport(report: PruneReport, maxSparsity: number | undefined): string {
  const layers = formatTable(
    ['layer', 'kind', 'kept', 'neurons', 'in', 'out', 'score min', 'median', 'max', 'FLOPs', 'FLOPs after'],
    report.layers.map((l) => [
      l.name,
      l.kind,
      l.kept,
      l.neurons,
      `${l.inChannels.after}/${l.inChannels.before}`,
      `${l.outChannels.after}/${l.outChannels.before}`,
      l.scores ? l.scores.min.toPrecision(3) : null,
      l.scores ? l.scores.median.toPrecision(3) : null,
      l.scores ? l.scores.max.toPrecision(3) : null,
      humanCount(l.before.flops),
      humanCount(l.after.flops),
    ]),
  );
  const r = report.resources;
  const settings = Object.entries(report.settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const scores = report.scoresSource
    ? `scores: ${report.scoresSource.source}, ${report.scoresSource.samples} sample(s) at ${report.scoresSource.inputSize.join('x')}`
    : 'scores: none';
  return [
    `${report.net} (${report.task}) — ${report.method}: ${report.summary}`,
    `${settings}; ${scores}`,
    `sparsity requested ${report.requestedSparsity.toFixed(4)}, realized ${report.realizedSparsity.toFixed(4)} ` +
      `(${report.neurons.kept}/${report.neurons.total} neurons kept; ${report.neurons.keptByCoupling} kept by coupling, ` +
      `${report.neurons.removedByCleaning} removed by cleaning)` +
      (maxSparsity !== undefined ? `; max sparsity ${maxSparsity.toFixed(4)}` : ''),
    ...(report.budget
      ? [
          `budget ${report.budget.budget.resource} ≤ ${humanCount(report.budget.target)}: achieved ${humanCount(report.budget.achieved)} ` +
            `of ${humanCount(report.budget.full)} at sparsity ${report.budget.sparsity.toFixed(4)}`,
        ]
      : []),
    '',
    layers,
    '',
    formatTable(
      ['at input ' + r.inputSize.join('x'), 'before', 'after', 'after/before'],
      [
        ['FLOPs', humanCount(r.before.flops), humanCount(r.after.flops), pct(r.ratio.flops)],
        ['params', humanCount(r.before.params), humanCount(r.after.params), pct(r.ratio.params)],
        [
          r.memoryConvention ? `memory (MB, ${MEMORY_CONVENTIONS[r.memoryConvention].label})` : 'memory (MB)',
          r.before.memoryMB.toFixed(2),
          r.after.memoryMB.toFixed(2),
          pct(r.ratio.memory),
        ],
      ],
    ),
    ...report.warnings.map((w) => `warning: ${w}`),
    ...(report.weightLevel
      ? [
          '',
          `weight-level: ${report.weightLevel.keptWeights}/${report.weightLevel.totalWeights} weights nonzero ` +
            `(${pct(report.weightLevel.nonzeroFraction)}); ${report.weightLevel.note}`,
        ]
      : []),
  ].join('\n');
}

/** The settings the prune ran with, as stored with its run (paths absolute, defaults filled in). */
function resolvedSettings(flags: Flags, inputSize: Triple, lambda: number | undefined): JsonObject {
  const absolute = (p: string | undefined) => (p === undefined ? null : resolve(p));
  const scoredBy = flags.scores ? 'file' : flags.data ? 'data' : flags.synthetic ? 'synthetic' : 'none';
  return {
    net: flags.net,
    method: resolveMethodName(flags.method) ?? flags.method,
    sparsity: flags.sparsity ?? null,
    budget: flags.budget ? { ...flags.budget } : null,
    maxSparsity: flags.maxSparsity,
    scores: scoredBy,
    scoresFile: absolute(flags.scores),
    data: absolute(flags.data),
    samples:
      scoredBy === 'data' || scoredBy === 'synthetic'
        ? (flags.samples ?? (scoredBy === 'data' ? DEFAULT_SCORING_SAMPLES : 2))
        : null,
    inputSize: [...inputSize],
    width: flags.width,
    lambda: lambda ?? null,
    aggregation: flags.aggregation,
    seed: flags.seed,
    inherit: flags.inherit,
    out: absolute(flags.out),
  };
}

/** What a stored prune run gets when it succeeds: its report, scores, pruned net and resource figures. */
function recordPruneResult(
  store: Store,
  runId: number,
  result: { report: PruneReport; prunedNet: NetDescription },
  maxSparsity: number | undefined,
  scoresFile: string | undefined,
): void {
  recordPruneReport(store, runId, result.report);
  const bytes = (value: unknown) => ({ bytes: Buffer.from(JSON.stringify(value, null, 2)) });
  store.addArtifact(runId, {
    kind: 'report',
    name: 'report.json',
    source: bytes({ ...result.report, maxSparsity }),
  });
  store.addArtifact(runId, { kind: 'net', name: 'pruned-net.json', source: bytes(result.prunedNet) });
  if (scoresFile)
    store.addArtifact(runId, { kind: 'scores', name: 'scores.ranpscores', source: { file: scoresFile } });
  const { after } = result.report.resources;
  store.recordEpoch(runId, {
    epoch: 0,
    metrics: [
      { name: 'realized sparsity', value: result.report.realizedSparsity },
      { name: 'FLOPs', value: after.flops },
      { name: 'params', value: after.params },
      { name: 'memory MB', value: after.memoryMB },
    ],
  });
  store.updateRunStatus(runId, 'completed');
}

async function prune(
  flags: Flags,
  zooNet: NetDescription,
  inputSize: Triple,
  io: CliIO,
  record: { store: Store; runId: number } | undefined,
): Promise<{ report: PruneReport; maxSparsity: number | undefined }> {
  const { net, scores } = await obtainScores(flags, zooNet, inputSize, io);
  // Scores worked out here are kept (in --out, and with the stored run), so a failed sparsity can be
  // retried from the file without data; saved before pruning for that reason.
  const scoresFile =
    scores && !flags.scores && (flags.out || record)
      ? join(
          flags.out ?? record!.store.paths.staging,
          flags.out ? 'scores.ranpscores' : `prune-${record!.runId}.ranpscores`,
        )
      : undefined;
  if (flags.out) mkdirSync(flags.out, { recursive: true });
  if (scoresFile) {
    mkdirSync(dirname(scoresFile), { recursive: true });
    saveScores(scoresFile, scores!);
  }
  try {
    const pruner = createPruner(net, scores, {
      method: flags.method,
      lambda: flags.lambda,
      aggregation: flags.aggregation,
      inputSize,
      seed: flags.seed,
    });
    const maxSparsity = flags.maxSparsity ? searchMaxSparsity(pruner) : undefined;
    let result;
    try {
      result = pruneWith(pruner, {
        ...(flags.budget ? { budget: flags.budget } : { sparsity: maxSparsity ?? flags.sparsity }),
      });
    } catch (error) {
      if (!(error instanceof EmptiedLayersError)) throw error;
      throw new Error(
        `${error.message}. The largest sparsity that empties no layer is ${searchMaxSparsity(pruner).toFixed(4)}.`,
      );
    }
    if (flags.out) {
      writeFileSync(
        join(flags.out, 'report.json'),
        `${JSON.stringify({ ...result.report, maxSparsity }, null, 2)}\n`,
      );
      writeFileSync(join(flags.out, 'pruned-net.json'), `${JSON.stringify(result.prunedNet, null, 2)}\n`);
      const full = flags.inherit ? buildModel(net, { seed: flags.seed }) : undefined;
      const fullWeights = full?.getWeights();
      const { net: small, weights } = materialize(net, result, { inherit: fullWeights });
      const smallModel = buildModel(small, { seed: flags.seed });
      try {
        if (weights) smallModel.setWeights(weights);
        await smallModel.saveWeights(join(flags.out, 'pruned-weights.ranpw'));
      } finally {
        smallModel.dispose();
        full?.dispose();
        tf.dispose([...(fullWeights?.values() ?? []), ...(weights?.values() ?? [])]);
      }
    }
    if (record) recordPruneResult(record.store, record.runId, result, maxSparsity, scoresFile);
    return { report: result.report, maxSparsity };
  } finally {
    if (scoresFile && !flags.out) rmSync(scoresFile, { force: true });
  }
}

export const pruneCommand: CliCommand = {
  name: 'prune',
  summary: 'prune a zoo net at initialization (RANP and baselines) and report the savings',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const flags = parseFlags(argv);
    const backend = await selectBackend();
    warnIfJsKernels(backend, io);
    const zooNet = buildNet(flags.net, {
      width: flags.width,
      ...(flags.input ? { inputSize: flags.input } : {}),
    });
    const inputSize = flags.input ?? zooNet.inputSize;
    const store = openStoreFrom(flags.store);
    try {
      let record: { store: Store; runId: number } | undefined;
      if (store) {
        const lambda = lambdaUsed(flags.method, zooNet.task, flags.lambda);
        const environment = await collectRunEnvironment({
          ...(flags.data ? { data: flags.data } : {}),
          ...(flags.scores ? { scores: flags.scores } : {}),
        });
        const run = store.createRun({
          task: 'prune',
          dataset: zooNet.task,
          net: flags.net,
          method: resolveMethodName(flags.method) ?? flags.method,
          sparsity: flags.sparsity,
          lambda,
          seed: flags.seed,
          config: resolvedSettings(flags, inputSize, lambda),
          backend: backend.chosen,
          environment: environment.summary,
          status: 'running',
        });
        record = { store, runId: run.id };
        recordDataFileLists(store, run.id, environment);
      }
      let output;
      try {
        output = await prune(flags, zooNet, inputSize, io, record);
      } catch (error) {
        // The failure is part of the record (e.g. every score 0): the run keeps the reason.
        record?.store.updateRunStatus(record.runId, 'failed', {
          error: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
      const { report, maxSparsity } = output;
      io.out(
        flags.json
          ? JSON.stringify({ ...report, maxSparsity, ...(record ? { run: record.runId } : {}) }, null, 2)
          : formatPruneReport(report, maxSparsity) + (record ? `\nstored as run ${record.runId}` : ''),
      );
      return 0;
    } finally {
      store?.dispose();
    }
  },
};
