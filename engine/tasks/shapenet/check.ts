import { DataError, type SplitName } from '../../data/dataset.js';
import { emptyReport, type DatasetReport } from '../../data/reader.js';
import { listShapeFiles, readCategoryFile, readSplitList } from './layout.js';
import { readShapenetCloud } from './shape.js';

/** Parses every listed cloud and label file; counts shapes per category and split. */
export async function checkShapenetFolder(root: string): Promise<DatasetReport> {
  const report = emptyReport('shapenet', root, 'shapes');
  let categories;
  try {
    categories = await readCategoryFile(root);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    report.problems.push({ file: error.file, problem: error.problem });
    return report;
  }
  const files = await listShapeFiles(root, categories);
  const readable = new Set<string>();
  const labels = new Set<number>();
  const pointCounts: number[] = [];
  for (const shape of files) {
    try {
      const cloud = await readShapenetCloud(shape);
      cloud.labels.forEach((l) => labels.add(l));
      readable.add(shape.id);
      pointCounts.push(cloud.labels.length);
      report.groups[shape.category.name] = (report.groups[shape.category.name] ?? 0) + 1;
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      report.problems.push({ file: error.file, problem: error.problem });
    }
  }
  for (const split of ['train', 'val', 'test'] as SplitName[]) {
    try {
      const listed = await readSplitList(root, split, categories);
      report.splits[split] = listed.filter((s) => readable.has(s.id)).length;
      for (const shape of listed) {
        if (!files.some((f) => f.id === shape.id))
          report.problems.push({
            file: shape.pointsFile,
            problem: `listed in the ${split} split but missing`,
          });
      }
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      report.problems.push({ file: error.file, problem: error.problem });
    }
  }
  report.items = readable.size;
  // Every shape becomes one grid; the clouds themselves differ in point count.
  report.shapes = [{ shape: [64, 64, 64], count: readable.size }];
  if (pointCounts.length)
    report.notes.push(`points per cloud: ${Math.min(...pointCounts)} to ${Math.max(...pointCounts)}`);
  report.labels = [...labels].sort((a, b) => a - b);
  return report;
}
