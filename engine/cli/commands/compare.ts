import { formatFigure } from '../../experiment/report.js';
import { UsageError, type CliCommand } from '../command.js';
import { parseCommandArgs, parseRunId } from '../args.js';
import { openStoreAt, STORE_LOCATION_OPTIONS } from '../store-options.js';

const USAGE = `Usage: ranp compare RUN RUN [options]

Side by side: the last value of every metric the two runs recorded (accuracy, FLOPs, params,
memory, seconds per step, peak memory) and second ÷ first for each.

Options:
  --db FILE | --data-dir DIR   experiment store
  --json                       machine-readable output`;

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'compare two runs: accuracy, cost and their ratios',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { json: { type: 'boolean' }, ...STORE_LOCATION_OPTIONS },
      { positionals: true },
    );
    if (positionals.length !== 2) throw new UsageError('give exactly two run ids');
    const ids = positionals.map((p) => parseRunId(p));
    const store = openStoreAt(values);
    try {
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
