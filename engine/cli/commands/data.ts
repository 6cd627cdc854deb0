import { checkDataset, type DatasetReport } from '../../data/index.js';
import type { TaskName } from '../../nn/description.js';
import { UsageError, type CliCommand } from '../command.js';

const TASKS: TaskName[] = ['brats', 'shapenet', 'ucf101'];

const usage = `Usage: ranp data check DIR [--task brats|shapenet|ucf101] [--json]

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
    const [sub, ...rest] = argv;
    if (sub !== 'check') throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'missing subcommand');
    let dir: string | undefined;
    let task: TaskName | undefined;
    let json = false;
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i];
      if (arg === '--json') json = true;
      else if (arg === '--task') {
        const value = rest[++i] as TaskName;
        if (!TASKS.includes(value)) throw new UsageError(`--task must be one of ${TASKS.join(', ')}`);
        task = value;
      } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
      else if (dir === undefined) dir = arg;
      else throw new UsageError(`unexpected argument ${arg}`);
    }
    if (!dir) throw new UsageError('missing DIR');
    const report = await checkDataset(dir, task);
    io.out(json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.problems.length ? 1 : 0;
  },
};
