import { parseArgs } from 'node:util';
import { TASK_DEFAULTS } from '../../experiment/config.js';
import { UsageError, type CliCommand } from '../command.js';
import { openStoreFrom, runExperimentCli, STORE_OPTIONS } from './experiment-shared.js';

const USAGE = `Usage: ranp experiment --task shapenet|brats|ucf101 --data DIR [options]

Prunes the task's net at initialization, trains the pruned and the unpruned net under identical
conditions (seed, data order, epochs, optimizer) and prints the comparison. Everything not given
follows the paper's settings for the task (see engine/experiment/CONFIG.md; 'ranp train --config'
takes the full config).

Options:
  --method NAME          ranp-f (default), ranp-m, ranp-p, vanilla, balanced, random, layerwise, weight-snip
  --sparsity S           neuron sparsity in [0, 1) (default: the paper's for the task)
  --scoring-samples N    training samples averaged for the pruning scores (default 16)
  --epochs N             training epochs
  --input N              training input size N³ (crop / voxel grid)
  --width W              width multiplier of the net
  --net NAME             zoo net (default per task)
  --samples-per-epoch N  train on the first N samples of each epoch's order (quick runs)
  --batch N              batch size
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
    const { values } = parseArgs({
      args: argv,
      options: {
        task: { type: 'string' },
        data: { type: 'string' },
        method: { type: 'string' },
        sparsity: { type: 'string' },
        'scoring-samples': { type: 'string' },
        epochs: { type: 'string' },
        input: { type: 'string' },
        width: { type: 'string' },
        net: { type: 'string' },
        'samples-per-epoch': { type: 'string' },
        batch: { type: 'string' },
        lr: { type: 'string' },
        seed: { type: 'string' },
        backend: { type: 'string' },
        'work-dir': { type: 'string' },
        resume: { type: 'boolean' },
        json: { type: 'boolean' },
        ...STORE_OPTIONS,
      },
      strict: true,
    });
    if (!values.task) throw new UsageError('--task is required');
    if (!values.data) throw new UsageError('--data is required');
    if (values.resume && !values['work-dir'])
      throw new UsageError('--resume needs --work-dir (where the checkpoints are)');
    const number = (flag: string, text: string | undefined) => {
      if (text === undefined) return undefined;
      const n = Number(text);
      if (!Number.isFinite(n)) throw new UsageError(`--${flag}: expected a number, got '${text}'`);
      return n;
    };
    const lr = number('lr', values.lr);
    const config = {
      task: values.task,
      data: values.data,
      ...(values.net && { net: values.net }),
      ...(values.width && { width: number('width', values.width) }),
      ...(values.input && { inputSize: number('input', values.input) }),
      ...(values.seed && { seed: number('seed', values.seed) }),
      ...(values.backend && { backend: values.backend }),
      prune: {
        ...(values.method && { method: values.method }),
        ...(values.sparsity && { sparsity: number('sparsity', values.sparsity) }),
        ...(values['scoring-samples'] && {
          scoringSamples: number('scoring-samples', values['scoring-samples']),
        }),
      },
      train: {
        ...(values.epochs && { epochs: number('epochs', values.epochs) }),
        ...(values.batch && { batchSize: number('batch', values.batch) }),
        ...(values['samples-per-epoch'] && {
          samplesPerEpoch: number('samples-per-epoch', values['samples-per-epoch']),
        }),
      },
    };
    if (lr !== undefined) {
      const defaults = TASK_DEFAULTS[values.task as keyof typeof TASK_DEFAULTS] as
        { train?: { schedule?: object } } | undefined;
      if (!defaults) throw new UsageError(`--task: expected shapenet, brats or ucf101, got '${values.task}'`);
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
