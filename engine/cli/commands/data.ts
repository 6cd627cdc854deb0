import type { DatasetReport } from '../../data/index.js';
import { checkDataset } from '../../tasks/datasets.js';
import { TASK_NAMES } from '../../domain/tasks.js';
import { parseChoice, parseCommandArgs } from '../args.js';
import { UsageError, type CliCommand } from '../command.js';

const usage = `Usage: ranp data check DIR [--task ${TASK_NAMES.join('|')}] [--json]

Reads a dataset folder in its published layout (BraTS'18, ShapeNet part benchmark, UCF101 + ucfTrainTestlist)
and reports what it found: items per group and split, grids/frame sizes, label sets, and every problem with
its file. Exit code 0 when there are no problems, 1 otherwise.`;

function formatReport(report: DatasetReport): string {
  const lines = [
    `${report.task} dataset at ${report.root}`,
    `  ${report.itemKind}: ${report.items}` +
      (Object.keys(report.groups).length
        ? ` (${Object.entries(report.groups)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`
        : ''),
    `  splits: ${
      Object.entries(report.splits)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
    `  sizes: ${report.shapes.map((s) => `${s.shape.join('x')} (${s.count})`).join(', ') || 'none'}`,
    `  labels: ${report.labels.join(', ') || 'none'}`,
    ...report.notes.map((note) => `  ${note}`),
    report.problems.length ? `  problems (${report.problems.length}):` : '  problems: none',
    ...report.problems.map((p) => `    ${p.file}: ${p.problem}`),
  ];
  return lines.join('\n');
}

export const dataCommand: CliCommand = {
  name: 'data',
  summary: 'check a dataset folder (subjects/shapes/videos, shapes, labels, problems)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { task: { type: 'string' }, json: { type: 'boolean', default: false } },
      { positionals: true },
    );
    const [sub, dir, ...extra] = positionals;
    if (sub !== 'check') throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'missing subcommand');
    if (!dir) throw new UsageError('missing DIR');
    if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
    const task = parseChoice('task', values.task, TASK_NAMES);
    const report = await checkDataset(dir, task);
    io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.problems.length ? 1 : 0;
  },
};
