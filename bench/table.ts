import type { CaseResult, RunResult } from './scenario.js';

export function runLabel(run: Pick<RunResult, 'backend' | 'threads'>): string {
  return run.threads ? `${run.backend}@${run.threads}t` : run.backend;
}

function cell(r: CaseResult): string {
  const ms = r.timing.medianMs;
  const time = ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
  const rates =
    r.gflopsPerSecond === undefined
      ? ''
      : ` ${r.gflopsPerSecond.toFixed(1)} GF/s (${r.gflopsPerCpuSecond?.toFixed(1)}/core)`;
  return `${time} ±${Math.round(r.timing.relativeSpread * 100)}%${rates}`;
}

/**
 * One row per (scenario, case, op), one column per backend run: median wall time, spread, GFLOP/s
 * over wall time and per busy core (CPU time), then each backend's wall-time speedup over plain cpu.
 */
export function formatResultsTable(runs: readonly RunResult[]): string {
  const labels = [...new Set(runs.map(runLabel))];
  const rows = new Map<string, Map<string, { ms: number; text: string }>>();
  for (const run of runs)
    for (const r of run.results) {
      const key = `${run.scenario}  ${r.case}  ${r.op}`;
      if (!rows.has(key)) rows.set(key, new Map());
      rows.get(key)!.set(runLabel(run), { ms: r.timing.medianMs, text: cell(r) });
    }
  const speedupLabels = labels.includes('cpu') ? labels.filter((l) => l !== 'cpu') : [];
  const header = ['scenario  case  op', ...labels, ...speedupLabels.map((l) => `${l} vs cpu`)];
  const body = [...rows].map(([key, byLabel]) => {
    const cpu = byLabel.get('cpu')?.ms;
    return [
      key,
      ...labels.map((l) => byLabel.get(l)?.text ?? '-'),
      ...speedupLabels.map((l) => {
        const ms = byLabel.get(l)?.ms;
        return cpu && ms ? `${(cpu / ms).toFixed(1)}×` : '-';
      }),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const skipped = runs
    .filter((r) => r.skipped)
    .map((r) => `${runLabel(r)} ${r.scenario}: skipped — ${r.skipped}`);
  const memory = runs.map((r) => `${runLabel(r)} ${r.scenario}: peak RSS ${r.maxRssMiB.toFixed(0)} MiB`);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    ...skipped,
    ...memory,
  ].join('\n');
}
