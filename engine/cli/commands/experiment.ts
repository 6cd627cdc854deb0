import path from 'node:path';
import { DEFAULT_PRUNE_METHOD, PRUNE_METHOD_NAMES } from '../../domain/methods.js';
import { defaultLambdas, TASK_NAMES } from '../../domain/tasks.js';
import { taskModule } from '../../tasks/registry.js';
import {
  optionalNumber,
  parseBudgetOption,
  parseChoice,
  parseCommandArgs,
  parseInputSize,
  parseNumber,
} from '../args.js';
import { UsageError, type CliCommand } from '../command.js';
import { runExperimentCli } from '../experiment-runner.js';
import { openStoreFrom, STORE_OPTIONS } from '../store-options.js';

const USAGE = `Usage: ranp experiment --task ${TASK_NAMES.join('|')} --data DIR [options]

Prunes the task's net at initialization, trains the pruned and the unpruned net under identical
conditions (seed, data order, epochs, optimizer) and prints the comparison. Everything not given
follows the paper's settings for the task (see engine/experiment/CONFIG.md; 'ranp train --config'
takes the full config).

Options:
  --method NAME          ${PRUNE_METHOD_NAMES.join(', ')} (default ${DEFAULT_PRUNE_METHOD})
  --sparsity S           neuron sparsity in [0, 1) (default: the paper's for the task)
  --budget R=V           instead of --sparsity: the smallest sparsity whose pruned net meets a
                         resource target: flops=0.1 (fraction of the unpruned net), memory=2GB
                         (float32 feature maps at the prune input size), params=1.5M
  --lambda L             RANP reweighting strength (default per task: ${defaultLambdas()})
  --scoring-samples N    training samples averaged for the pruning scores (default 16)
  --prune-input N|DxHxW  scale-up: score and prune at this (smaller) size, train at --input
  --widen W              scale-up: multiply the pruned net's neurons by W before training
  --inherit              keep the surviving initial weights (default: re-initialize, as the paper)
  --transfer-task T      transfer: prune on another task's data (${TASK_NAMES.join(', ')}) ...
  --transfer-data DIR    ... in this folder (first conv and classifier replaced to fit --data)
  --transfer-net NAME    ... with this net (default: that task's)
  --epochs N             training epochs
  --input N|DxHxW        training input size (crop / voxel grid / clip); N is N×N×N
  --width W              width multiplier of the net
  --net NAME             zoo net (default per task)
  --samples-per-epoch N  train on the first N samples of each epoch's order (quick runs)
  --batch N              batch size
  --recompute-activations  recompute each block's activations in the backward: less memory, slower
  --lr X                 initial learning rate
  --seed N               seed of initialization, data order and augmentation (default 0)
  --backend NAME         tfjs backend (see ranp doctor)
  --work-dir DIR         keep checkpoints/predictions here; with --resume continue from them
  --resume               continue an interrupted experiment from --work-dir
  --db FILE | --data-dir DIR | --no-store    experiment store (default: the app's data folder)
  --json                 machine-readable result`;

export const experimentCommand: CliCommand = {
  name: 'experiment',
  summary: 'prune a net, train it and the unpruned net identically, compare accuracy and cost',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      task: { type: 'string' },
      data: { type: 'string' },
      method: { type: 'string' },
      sparsity: { type: 'string' },
      budget: { type: 'string' },
      'scoring-samples': { type: 'string' },
      lambda: { type: 'string' },
      'prune-input': { type: 'string' },
      widen: { type: 'string' },
      inherit: { type: 'boolean' },
      'transfer-task': { type: 'string' },
      'transfer-data': { type: 'string' },
      'transfer-net': { type: 'string' },
      epochs: { type: 'string' },
      input: { type: 'string' },
      width: { type: 'string' },
      net: { type: 'string' },
      'samples-per-epoch': { type: 'string' },
      batch: { type: 'string' },
      'recompute-activations': { type: 'boolean' },
      lr: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      'work-dir': { type: 'string' },
      resume: { type: 'boolean' },
      json: { type: 'boolean' },
      ...STORE_OPTIONS,
    });
    const task = parseChoice('task', values.task, TASK_NAMES);
    if (!task) throw new UsageError('--task is required');
    if (!values.data) throw new UsageError('--data is required');
    if (values.resume && !values['work-dir'])
      throw new UsageError('--resume needs --work-dir (where the checkpoints are)');
    if (values.sparsity !== undefined && values.budget !== undefined)
      throw new UsageError('give --sparsity or --budget, not both (the budget decides the sparsity)');
    const lr = optionalNumber('lr', values.lr, 'a positive number');
    const transferTask = parseChoice('transfer-task', values['transfer-task'], TASK_NAMES);
    if ((transferTask === undefined) !== (values['transfer-data'] === undefined))
      throw new UsageError('transfer needs both --transfer-task and --transfer-data');
    if (values['transfer-net'] && !transferTask)
      throw new UsageError('--transfer-net needs --transfer-task and --transfer-data');
    const config = {
      task,
      // Stored absolute: the app and a later `ranp eval` read the folder from another working folder.
      data: path.resolve(values.data),
      ...(values.net && { net: values.net }),
      ...(values.width && { width: parseNumber('width', values.width, 'a positive number') }),
      ...(values.input && { inputSize: parseInputSize(values.input) }),
      ...(values.seed && { seed: parseNumber('seed', values.seed, 'a non-negative integer') }),
      ...(values.backend && { backend: values.backend }),
      prune: {
        ...(values.method && { method: values.method }),
        ...(values.sparsity && { sparsity: parseNumber('sparsity', values.sparsity, 'a number in [0, 1]') }),
        ...(values.budget !== undefined && { budget: parseBudgetOption(values.budget) }),
        ...(values['scoring-samples'] && {
          scoringSamples: parseNumber('scoring-samples', values['scoring-samples'], 'a positive integer'),
        }),
        ...(values.lambda && { lambda: parseNumber('lambda', values.lambda, 'a non-negative number') }),
        ...(values['prune-input'] && { inputSize: parseInputSize(values['prune-input'], 'prune-input') }),
        ...(values.widen && { widen: parseNumber('widen', values.widen, 'a positive number') }),
        ...(values.inherit && { inherit: true }),
        ...(transferTask && {
          from: {
            task: transferTask,
            data: values['transfer-data']!,
            ...(values['transfer-net'] && { net: values['transfer-net'] }),
          },
        }),
      },
      train: {
        ...(values.epochs && { epochs: parseNumber('epochs', values.epochs, 'a positive integer') }),
        ...(values.batch && { batchSize: parseNumber('batch', values.batch, 'a positive integer') }),
        ...(values['recompute-activations'] && { recomputeActivations: true }),
        ...(values['samples-per-epoch'] && {
          samplesPerEpoch: parseNumber(
            'samples-per-epoch',
            values['samples-per-epoch'],
            'a positive integer',
          ),
        }),
      },
    };
    if (lr !== undefined) {
      const defaults = taskModule(task).experimentDefaults as { train?: { schedule?: object } };
      Object.assign(config.train, { schedule: { ...defaults.train?.schedule, lr } });
    }
    return runExperimentCli(config, io, {
      store: openStoreFrom(values),
      json: Boolean(values.json),
      workDir: values['work-dir'],
      resume: values.resume,
    });
  },
};
