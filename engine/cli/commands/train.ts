import { parseCommandArgs } from '../args.js';
import { UsageError, type CliCommand } from '../command.js';
import { readConfigFile } from '../config-file.js';
import { runExperimentCli } from '../experiment-runner.js';
import { openStoreFrom, STORE_OPTIONS } from '../store-options.js';

const USAGE = `Usage: ranp train --config FILE [options]

Runs the experiment a config file describes (JSON or YAML; fields and per-task defaults in
engine/experiment/CONFIG.md): prune, train the pruned net (and the unpruned one unless
trainUnpruned is false), evaluate, write predictions, print the comparison.

Options:
  --config FILE          experiment config (.json, .yaml, .yml)
  --work-dir DIR         keep checkpoints/predictions here; with --resume continue from them
  --resume               continue an interrupted run from --work-dir (same config, same result)
  --db FILE | --data-dir DIR | --no-store    experiment store (default: the app's data folder)
  --json                 machine-readable result`;

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'run an experiment described by a JSON/YAML config file',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      config: { type: 'string' },
      'work-dir': { type: 'string' },
      resume: { type: 'boolean' },
      json: { type: 'boolean' },
      ...STORE_OPTIONS,
    });
    if (!values.config) throw new UsageError('--config is required');
    if (values.resume && !values['work-dir'])
      throw new UsageError('--resume needs --work-dir (where the checkpoints are)');
    return runExperimentCli(readConfigFile(values.config), io, {
      store: openStoreFrom(values),
      json: Boolean(values.json),
      workDir: values['work-dir'],
      resume: values.resume,
    });
  },
};
