import { DataError } from '../../data/dataset.js';
import { describeNonFinite } from '../../data/nifti/finite.js';
import { readNifti } from '../../data/nifti/read.js';
import { countShapes, emptyReport, type DatasetReport } from '../../data/reader.js';
import { BRATS_MODALITIES, findBratsSubjects } from './layout.js';
import { BRATS_LABELS } from './regions.js';
import { splitBratsSubjects } from './split.js';

/** Reads every file of every subject: grids, label sets, and each problem with its file. */
export async function checkBratsFolder(root: string): Promise<DatasetReport> {
  const subjects = await findBratsSubjects(root);
  const report = emptyReport('brats', root, 'subjects');
  if (subjects.length === 0) report.problems.push({ file: root, problem: 'no BraTS subjects found' });
  const shapes: number[][] = [];
  const labels = new Set<number>();
  const good = [];
  for (const subject of subjects) {
    let ok = subject.missing.length === 0;
    for (const file of subject.missing)
      report.problems.push({ file, problem: `missing (subject ${subject.id})` });
    let grid: number[] | undefined;
    for (const kind of [...BRATS_MODALITIES, 'seg'] as const) {
      if (subject.missing.includes(subject.files[kind])) continue;
      try {
        const image = await readNifti(subject.files[kind]);
        if (grid && image.dims.join() !== grid.join()) {
          ok = false;
          report.problems.push({
            file: image.file,
            problem: `grid [${image.dims.join(', ')}] differs from [${grid.join(', ')}] of the subject's other files`,
          });
        }
        grid ??= image.dims;
        const nonFinite = describeNonFinite(image.nonFinite, image.dims);
        if (nonFinite) {
          ok = false;
          report.problems.push({ file: image.file, problem: `${kind}: ${nonFinite}` });
        }
        if (kind === 'seg') {
          const found = new Set(image.data);
          for (const value of found) labels.add(value);
          const unexpected = [...found].filter((v) => !(BRATS_LABELS as readonly number[]).includes(v));
          if (unexpected.length) {
            ok = false;
            report.problems.push({
              file: image.file,
              problem: `labels ${unexpected.join(', ')} are not in {0, 1, 2, 4}`,
            });
          }
        }
      } catch (error) {
        ok = false;
        if (!(error instanceof DataError)) throw error;
        report.problems.push({ file: error.file, problem: error.problem });
      }
    }
    if (grid) shapes.push(grid);
    if (ok) {
      good.push(subject);
      report.groups[subject.grade] = (report.groups[subject.grade] ?? 0) + 1;
    }
  }
  report.items = good.length;
  report.shapes = countShapes(shapes);
  report.labels = [...labels].sort((a, b) => a - b);
  report.splits = {
    train: splitBratsSubjects(good, 'train').length,
    val: splitBratsSubjects(good, 'val').length,
  };
  return report;
}
