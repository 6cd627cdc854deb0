import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { UsageError, type CliCommand } from '../command.js';
import { openStoreFrom, runExperimentCli, STORE_OPTIONS } from './experiment-shared.js';

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

export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config ${file}: ${(error as Error).message}`);
  }
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `config ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
    );
  }
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'run an experiment described by a JSON/YAML config file',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        'work-dir': { type: 'string' },
        resume: { type: 'boolean' },
        json: { type: 'boolean' },
        ...STORE_OPTIONS,
      },
      strict: true,
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
