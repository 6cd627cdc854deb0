import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError, type DatasetReport as DataReport } from '../../data/index.js';
import type { DatasetEntry, DatasetReport } from '../../protocol/datasets.js';
import { ProtocolError } from '../../protocol/errors.js';
import { checkDataset as checkFolder, detectTask } from '../../tasks/datasets.js';
import { taskModule } from '../../tasks/registry.js';
import type { Handler } from '../context.js';

/** Every folder under the samples folder that has a known dataset layout. */
export const listSamples: Handler<'datasets.samples'> = async (_params, ctx) => {
  const entries = await readdir(ctx.samplesDir, { withFileTypes: true }).catch(() => []);
  const datasets: DatasetEntry[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = path.join(ctx.samplesDir, entry.name);
    const found = await detectTask(folder);
    if (!found) continue;
    const readme = await readFile(path.join(folder, 'README.md'), 'utf8').catch(() => '');
    const firstLine = readme.split('\n').find((l) => l.trim() && !l.startsWith('#'));
    datasets.push({
      name: entry.name,
      task: found.task,
      path: folder,
      description: firstLine?.trim() ?? taskModule(found.task).description,
    });
  }
  return { datasets };
};

export const checkDataset: Handler<'datasets.check'> = async ({ path: requested, task }, ctx) => {
  const folder = ctx.folders.check(requested);
  try {
    return toProtocolReport(folder, await checkFolder(folder, task));
  } catch (error) {
    // A folder that is missing is not found; one that exists but is no dataset is a wrong choice.
    if (error instanceof DataError)
      throw new ProtocolError(existsSync(folder) ? 'invalid-params' : 'not-found', error.message);
    throw error;
  }
};

/** The data check's report in the words of the dataset panel. */
export function toProtocolReport(folder: string, report: DataReport): DatasetReport {
  const grid = report.shapes[0]?.shape;
  const groups = Object.entries(report.groups)
    .map(([group, n]) => `${n} ${group}`)
    .join(', ');
  return {
    path: folder,
    task: report.task,
    ok: report.items > 0 && report.problems.length === 0,
    splits: (['train', 'val', 'test'] as const)
      .filter((s) => report.splits[s] !== undefined)
      .map((split) => ({ split, samples: report.splits[split] ?? 0 })),
    sampleSize:
      grid?.length === 3 && grid.every((n) => Number.isInteger(n) && n > 0)
        ? [grid[0], grid[1], grid[2]]
        : undefined,
    problems: report.problems,
    summary: [
      `${report.items} ${report.itemKind} in ${report.root}`,
      groups && `(${groups})`,
      ...report.notes,
    ]
      .filter(Boolean)
      .join('. '),
  };
}
