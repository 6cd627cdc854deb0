import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UsageError, type CliCommand, type CliIO } from '../command.js';
import type { NetDescription, Triple } from '../../nn/description.js';
import { PRUNE_METHOD_NAMES, PRUNE_METHODS } from '../../domain/methods.js';
import { selectBackend } from '../../backend/index.js';
import { warnIfJsKernels } from '../js-kernels-warning.js';
import { buildModel } from '../../nn/model.js';
import { buildNet, listNets } from '../../nn/zoo/registry.js';
import { scoreOnData } from '../../experiment/score-on-data.js';
import {
  resolveMethodName,
  DEFAULT_SCORING_SAMPLES,
  EmptiedLayersError,
  createPruner,
  loadScores,
  materialize,
  parseBudget,
  pruneWith,
  saveScores,
  scoreWeights,
  searchMaxSparsity,
  type Aggregation,
  type PruneReport,
  type WeightScores,
} from '../../prune/index.js';
import { syntheticSamples } from '../../prune/synthetic.js';
import { AGGREGATIONS } from '../../prune/types.js';
import { createProgressPrinter, type Progress } from '../../util/progress.js';
import {
  optionalNumber,
  parseChoice,
  parseCommandArgs,
  parseInputSize,
  parseNetName,
  parseNumber,
} from '../args.js';
import { formatTable, humanCount } from '../format.js';

const USAGE = `Usage: ranp prune --net NAME [--method M] (--sparsity S | --budget R=V | --max-sparsity)
                  (--scores FILE | --data DIR | --synthetic) [options]

Prunes a zoo net at initialization (RANP, Xu et al. 3DV 2020) and reports per-layer kept neurons,
channels after cleaning, and FLOPs/params/memory before and after.

Options:
  --net NAME            ${listNets()
    .map((n) => n.name)
    .join(' | ')}
  --method M            ${PRUNE_METHOD_NAMES.join(' | ')} (default ranp-f)
  --sparsity S          neuron sparsity in [0, 1] (paper: ShapeNet 0.7824, BraTS 0.7817,
                        MobileNetV2 0.3315, I3D 0.2532)
  --budget R=V          smallest sparsity meeting a resource target: flops=0.1 (fraction),
                        memory=2GB (bytes of float32 feature maps at --input), params=1.5M
  --max-sparsity        largest sparsity that empties no layer (bisection, tolerance 1e-4), and prune there
  --scores FILE         weight scores from a score file (no data needed)
  --data DIR            score on the task's training split in DIR
  --synthetic           score on a generated noise batch (labelled 'synthetic' in the report)
  --samples N           scoring samples (default ${DEFAULT_SCORING_SAMPLES}; synthetic: 2)
  --input N|DxHxW       input size for scoring and resource counting (default: the net's)
  --width W             channel width multiplier of the net (default 1)
  --lambda L            RANP reweighting strength (default per task: ShapeNet 11, BraTS 15, UCF101 80)
  --aggregation A       ${AGGREGATIONS.join(' | ')} (default sum)
  --seed N              initialization / random-pruning seed (default 0)
  --inherit             the pruned weights inherit the full net's surviving weights (default: re-initialized)
  --out DIR             write report.json, scores.ranpscores, pruned-net.json, pruned-weights.ranpw
  --json                print the report as JSON`;

interface Flags {
  net: string;
  method: string;
  sparsity?: number;
  budget?: string;
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
}

function parseFlags(argv: string[]): Flags {
  const { values } = parseCommandArgs(argv, {
    net: { type: 'string' },
    method: { type: 'string', default: 'ranp-f' },
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
    budget: values.budget,
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
        ['memory (MB)', r.before.memoryMB.toFixed(2), r.after.memoryMB.toFixed(2), pct(r.ratio.memory)],
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

export const pruneCommand: CliCommand = {
  name: 'prune',
  summary: 'prune a zoo net at initialization (RANP and baselines) and report the savings',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const flags = parseFlags(argv);
    warnIfJsKernels(await selectBackend(), io);
    const zooNet = buildNet(flags.net, {
      width: flags.width,
      ...(flags.input ? { inputSize: flags.input } : {}),
    });
    const inputSize = flags.input ?? zooNet.inputSize;
    const { net, scores } = await obtainScores(flags, zooNet, inputSize, io);
    const pruner = createPruner(net, scores, {
      method: flags.method,
      lambda: flags.lambda,
      aggregation: flags.aggregation,
      inputSize,
      seed: flags.seed,
    });
    if (flags.out) {
      mkdirSync(flags.out, { recursive: true });
      // Saved before pruning, so a failed sparsity can be retried from the file without data.
      if (scores && !flags.scores) saveScores(join(flags.out, 'scores.ranpscores'), scores);
    }
    const maxSparsity = flags.maxSparsity ? searchMaxSparsity(pruner) : undefined;
    let result;
    try {
      result = pruneWith(pruner, {
        ...(flags.budget
          ? { budget: parseBudget(flags.budget) }
          : { sparsity: maxSparsity ?? flags.sparsity }),
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
    io.out(
      flags.json
        ? JSON.stringify({ ...result.report, maxSparsity }, null, 2)
        : formatPruneReport(result.report, maxSparsity),
    );
    return 0;
  },
};
