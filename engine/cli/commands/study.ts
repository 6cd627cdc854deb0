import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../store/index.js';
import {
  cellConfig,
  describeCell,
  KUBERNETES_FILE,
  readStudy,
  resolveStudy,
  SLURM_FILE,
  taskBundleDir,
  taskCell,
  taskOrigin,
  writeStudyFolder,
  writeTaskBundles,
} from '../../study/index.js';
import { parseCommandArgs, parseNumber } from '../args.js';
import { UsageError, type CliCommand, type CliIO } from '../command.js';
import { runExperimentCli } from '../experiment-runner.js';

const USAGE = `Usage: ranp study <action> [options]

A study is one experiment config over a grid of method × sparsity × seed, one task per cell, for
a scheduler you already run. The study file (YAML or JSON):
  name: brats-grid
  config: experiment.yaml        # file relative to the study file, or the config inline
  grid: { method: [ranp-f, random], sparsity: [0.5, 0.78], seed: [0, 1, 2] }

Actions:
  export STUDY_FILE --out DIR   write DIR/study.json (the resolved study: config inline, cells
                                listed), DIR/${SLURM_FILE} (sbatch; #SBATCH --array=0-(n-1)) and
                                DIR/${KUBERNETES_FILE} (kubectl apply -f; Indexed Job, n completions)
  run-task --study DIR/study.json [--index N]
                                run cell N (default: $SLURM_ARRAY_TASK_ID, else
                                $JOB_COMPLETION_INDEX) like 'ranp train', in a store of its own,
                                and write its runs as bundles to DIR/bundles/task-N/; a task whose
                                bundles are there already does nothing. Then, on the desktop:
                                ranp runs import DIR/bundles

export options:
  --cluster-dir DIR   the study folder as the cluster's nodes see it (SLURM; default: --out)
  --image IMAGE       container image for Kubernetes (default ranp-studio:latest; see Dockerfile)
  --volume-claim PVC  Kubernetes PersistentVolumeClaim with the study folder at its root, mounted
                      at /study (default ranp-study); the config's data path must be inside it
  --cpus N            CPUs per task (default 4)
  --memory-gib N      memory per task in GiB (default 16)
  --time HH:MM:SS     SLURM time limit per task (default 24:00:00)
  --json              machine-readable output`;

async function runTask(
  values: { study?: string; index?: string; json?: boolean },
  io: CliIO,
): Promise<number> {
  if (!values.study) throw new UsageError('run-task needs --study DIR/study.json');
  const study = readStudy(values.study);
  const cell = taskCell(study, values.index, process.env);
  const studyDir = path.dirname(path.resolve(values.study));
  const done = taskBundleDir(studyDir, cell.index);
  if (fs.existsSync(done)) {
    io.out(
      `task ${cell.index} already done: its bundles are in ${done} (delete that folder to run it again)`,
    );
    return 0;
  }
  io.err(`study '${study.name}' task ${cell.index}/${study.cells.length}: ${describeCell(cell)}`);
  // The task's own store, so exactly its runs become bundles (and nothing is shared between tasks).
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ranp-task-${cell.index}-`));
  try {
    const code = await runExperimentCli(cellConfig(study, cell), io, {
      store: openStore({ dataDir }),
      json: Boolean(values.json),
    });
    if (code !== 0) return code;
    const store = openStore({ dataDir });
    try {
      const bundles = writeTaskBundles(store, studyDir, cell.index, taskOrigin(study, cell, process.env));
      io.err(`task ${cell.index}: ${bundles.length} run bundle(s) in ${done}`);
    } finally {
      store.dispose();
    }
    return 0;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export const studyCommand: CliCommand = {
  name: 'study',
  summary: 'method × sparsity × seed grids as SLURM / Kubernetes job arrays, and their tasks',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        out: { type: 'string' },
        'cluster-dir': { type: 'string' },
        image: { type: 'string', default: 'ranp-studio:latest' },
        'volume-claim': { type: 'string', default: 'ranp-study' },
        cpus: { type: 'string', default: '4' },
        'memory-gib': { type: 'string', default: '16' },
        time: { type: 'string', default: '24:00:00' },
        study: { type: 'string' },
        index: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { positionals: true },
    );
    const [action, ...args] = positionals;
    switch (action) {
      case 'export': {
        if (args.length !== 1) throw new UsageError('export needs one study file');
        if (!values.out) throw new UsageError('export needs --out DIR (a new or empty folder)');
        if (!/^\d{1,3}:\d{2}:\d{2}$/.test(values.time))
          throw new UsageError(`--time must be HH:MM:SS, got '${values.time}'`);
        const clusterDir = values['cluster-dir'] ?? path.resolve(values.out);
        if (!path.posix.isAbsolute(clusterDir) || /\s/.test(clusterDir))
          throw new UsageError(`--cluster-dir must be an absolute path without spaces, got '${clusterDir}'`);
        const study = resolveStudy(args[0]);
        const files = writeStudyFolder(study, values.out, {
          clusterDir,
          image: values.image,
          volumeClaim: values['volume-claim'],
          cpus: parseNumber('cpus', values.cpus, 'a positive integer'),
          memoryGiB: parseNumber('memory-gib', values['memory-gib'], 'a positive integer'),
          time: values.time,
        });
        if (values.json) io.out(JSON.stringify({ tasks: study.cells.length, files }, null, 2));
        else
          io.out(
            [
              `study '${study.name}': ${study.cells.length} task(s)`,
              ...files.map((f) => `  ${f}`),
              `submit: sbatch ${path.posix.join(clusterDir, SLURM_FILE)}   or   kubectl apply -f ${KUBERNETES_FILE}`,
              `then:   ranp runs import ${path.join(values.out, 'bundles')}`,
            ].join('\n'),
          );
        return 0;
      }
      case 'run-task':
        return runTask(values, io);
      case undefined:
        throw new UsageError('missing action (export or run-task)');
      default:
        throw new UsageError(`unknown action '${action}' (export or run-task)`);
    }
  },
};
