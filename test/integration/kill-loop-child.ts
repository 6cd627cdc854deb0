// Child process for kill-loop.test.ts: `ranp experiment` on a tiny BraTS folder, through the CLI's own
// runner, with two markers on stderr for the parent to time its SIGKILL: every progress update
// (interactive progress bar, one '\r'-separated update per step) and "write <method>" just before
// each store write begins (stderr is a pipe, written synchronously on Linux, so the marker is out
// before the write starts).
// argv: <data dir> <work dir> <store data dir> <resume: 0|1>
import { runExperimentCli } from '../../engine/cli/experiment-runner.js';
import { openStore, type Store } from '../../engine/store/index.js';

const [data, workDir, dataDir, resume] = process.argv.slice(2);

const WRITES = ['createRun', 'updateRunStatus', 'recordEpoch', 'addArtifact', 'recordPruneReport'] as const;

function announcingWrites(store: Store): Store {
  for (const method of WRITES) {
    const original = store[method].bind(store) as (...args: unknown[]) => unknown;
    Object.assign(store, {
      [method]: (...args: unknown[]) => {
        process.stderr.write(`\nwrite ${method}\n`);
        return original(...args);
      },
    });
  }
  return store;
}

const config = {
  task: 'brats',
  data,
  width: 0.25,
  inputSize: 16,
  seed: 5,
  backend: 'cpu',
  prune: { sparsity: 0.3, scoringSamples: 1 },
  train: { epochs: 3, samplesPerEpoch: 2 },
};
process.exitCode = await runExperimentCli(
  config,
  {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    interactive: true,
  },
  { store: announcingWrites(openStore({ dataDir })), json: true, workDir, resume: resume === '1' },
);
