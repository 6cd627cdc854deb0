// Child process for kill-loop.ts: `ranp experiment` on a tiny BraTS folder, through the CLI's own
// runner, with three markers on stderr for the parent to time its SIGKILL: every progress update
// (interactive progress bar, one '\r'-separated update per step), "write <method>" just before each
// store write begins and "write checkpoint <file>" when a checkpoint's temporary file is opened
// (stderr is a pipe, written synchronously on Linux, so the marker is out before the write starts).
// argv: <data dir> <work dir> <store data dir> <resume: 0|1>
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { relative } from 'node:path';
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

// Checkpoints are written by writeFileAtomic (open <file>.tmp, write, fsync, rename); the named
// imports of node:fs follow the patched function once the ESM bindings are synced.
const openSync = fs.openSync;
fs.openSync = (path: fs.PathLike, flags: fs.OpenMode = 'r', mode?: fs.Mode | null) => {
  if (String(path).endsWith('.ckpt.tmp'))
    process.stderr.write(`\nwrite checkpoint ${relative(workDir, String(path))}\n`);
  return openSync(path, flags, mode);
};
syncBuiltinESMExports();

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
