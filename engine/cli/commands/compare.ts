import { formatFigure } from '../../experiment/report.js';
import { UsageError, type CliCommand } from '../command.js';
import { parseChoice, parseCommandArgs, parseRunId } from '../args.js';
import { openStoreAt, STORE_LOCATION_OPTIONS } from '../store-options.js';
import { RUN_TASKS, type RunTask } from '../../store/types.js';
import type { Store } from '../../store/index.js';
import { formatTable } from '../format.js';

const USAGE = `Usage: ranp compare RUN RUN [options]
       ranp compare --seeds [RUN ...] [--task T] [options]

Side by side: the last value of every metric the two runs recorded (accuracy, FLOPs, params,
memory, seconds per step, peak memory) and second ÷ first for each.

With --seeds: runs that differ only in their seed (same task, net, method, sparsity, λ, role and
config) form a group; each group's metrics as mean ± sample standard deviation (n − 1) over its
runs' last values. With run ids, the groups holding those runs; without, every group of two or
more runs.

Options:
  --seeds                      mean ± std over seeds
  --task T                     with --seeds: only runs of this task (${RUN_TASKS.join(', ')}; default train)
  --db FILE | --data-dir DIR   experiment store
  --json                       machine-readable output`;

function compareSeeds(store: Store, ids: number[], task: RunTask, json: boolean): string {
  const groups = ids.length
    ? store.groupBySeed({ task }, ids)
    : store.groupBySeed({ task }).filter((g) => g.runIds.length > 1);
  const missing = ids.filter((id) => !groups.some((g) => g.runIds.includes(id)));
  if (missing.length) throw new UsageError(`no ${task} run ${missing.join(', ')} (see ranp runs list)`);
  if (json)
    return JSON.stringify(
      groups.map(({ key: _key, ...group }) => group),
      null,
      2,
    );
  if (!groups.length) return `No ${task} runs that differ only in their seed.`;
  return groups
    .map((g) =>
      [
        `${g.net}, ${g.method ?? 'none'}, sparsity ${g.sparsity ?? 0}${g.role ? `, ${g.role}` : ''}: ` +
          `runs ${g.runIds.join(', ')} (seeds ${g.seeds.map((s) => s ?? '-').join(', ')})`,
        formatTable(
          ['metric', 'n', 'mean ± std'],
          g.metrics.map((m) => [m.name, String(m.n), `${formatFigure(m.mean)} ± ${formatFigure(m.std)}`]),
        ),
      ].join('\n'),
    )
    .join('\n\n');
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'compare two runs: accuracy, cost and their ratios',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        json: { type: 'boolean' },
        seeds: { type: 'boolean' },
        task: { type: 'string', default: 'train' },
        ...STORE_LOCATION_OPTIONS,
      },
      { positionals: true },
    );
    if (!values.seeds && positionals.length !== 2) throw new UsageError('give exactly two run ids');
    const task: RunTask = parseChoice('task', values.task, RUN_TASKS)!;
    const ids = positionals.map((p) => parseRunId(p));
    const store = openStoreAt(values);
    try {
      if (values.seeds) {
        io.out(compareSeeds(store, ids, task, values.json ?? false));
        return 0;
      }
      const runs = ids.map((id) => store.getRun(id));
      const last = ids.map((id) => {
        const byName = new Map<string, number>();
        for (const row of store.metrics(id)) byName.set(row.name, row.value); // rows come in step order: the last wins
        return byName;
      });
      const names = [...new Set([...last[0].keys(), ...last[1].keys()])].filter(
        (n) => last[0].has(n) && last[1].has(n),
      );
      const rows = names.map((name) => {
        const a = last[0].get(name)!;
        const b = last[1].get(name)!;
        return { name, first: a, second: b, ratio: a !== 0 ? b / a : undefined };
      });
      if (values.json) {
        io.out(
          JSON.stringify(
            {
              runs: runs.map((r) => ({
                id: r.id,
                name: r.name,
                role: r.role,
                method: r.method,
                sparsity: r.sparsity,
              })),
              metrics: rows,
            },
            null,
            2,
          ),
        );
        return 0;
      }
      const header = ['metric', `run ${ids[0]}`, `run ${ids[1]}`, `${ids[1]} ÷ ${ids[0]}`];
      const cells = rows.map((r) => [
        r.name,
        formatFigure(r.first),
        formatFigure(r.second),
        r.ratio === undefined ? '-' : formatFigure(r.ratio),
      ]);
      const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
      const line = (c: string[]) =>
        c.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
      io.out(
        [
          ...runs.map(
            (r) =>
              `run ${r.id}: ${r.name ?? ''} (${r.net}, ${r.method ?? 'none'}, sparsity ${r.sparsity ?? 0}, ${r.status})`,
          ),
          line(header),
          line(widths.map((w) => '-'.repeat(w))),
          ...cells.map(line),
        ].join('\n'),
      );
      return 0;
    } finally {
      store.dispose();
    }
  },
};
