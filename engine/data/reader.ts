import type { TaskName } from '../nn/description.js';
import { DataError, type Dataset, type Sample, type SplitName } from './dataset.js';

/** Options every reader takes. */
export interface CommonDatasetOptions {
  /** Skip a sample whose files are bad (reporting it through onWarning) instead of failing the pass. */
  skipBad?: boolean;
  onWarning?: (warning: DataError) => void;
}

/** What `ranp data check` and the app's data page show about a dataset folder. */
export interface DatasetReport {
  task: TaskName;
  /** The dataset root actually read (may be a subfolder of the folder given). */
  root: string;
  /** 'subjects', 'shapes' or 'videos'. */
  itemKind: string;
  /** Readable items found. */
  items: number;
  /** Items per group: HGG/LGG, per category, per class. */
  groups: Record<string, number>;
  /** Items per split. */
  splits: Partial<Record<SplitName, number>>;
  /** Distinct sample shapes (volume grids, frame sizes) and how many items have each. */
  shapes: { shape: number[]; count: number }[];
  /** Label values found in the annotation files (segmentation) or class indices (classification). */
  labels: number[];
  /** Other facts worth showing, e.g. the range of points per cloud. */
  notes: string[];
  /** Every problem, each naming its file. */
  problems: { file: string; problem: string }[];
}

/** A report with nothing found yet, for a reader's check to fill in. */
export function emptyReport(
  task: DatasetReport['task'],
  root: string,
  itemKind: DatasetReport['itemKind'],
): DatasetReport {
  return {
    task,
    root,
    itemKind,
    items: 0,
    groups: {},
    splits: {},
    shapes: [],
    labels: [],
    notes: [],
    problems: [],
  };
}

/** One dataset format: a folder in engine/data/ and one line in engine/data/index.ts. */
export interface DatasetReader<Options extends CommonDatasetOptions> {
  task: TaskName;
  /** The dataset root if `dir` (or a known subfolder of it) has this dataset's layout; cheap (no decoding). */
  detect(dir: string): Promise<string | undefined>;
  open(root: string, split: SplitName, options: Options): Promise<Dataset>;
  check(root: string): Promise<DatasetReport>;
}

/**
 * Reads sample `index`; with skipBad a DataError is reported and the next index tried, so one bad
 * file costs one warning, not the run.
 */
export async function readSkippingBad(
  length: number,
  index: number,
  options: CommonDatasetOptions,
  read: (index: number) => Promise<Sample>,
): Promise<Sample> {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`sample index ${index} is outside 0..${length - 1}`);
  }
  for (let attempt = 0; attempt < length; attempt++) {
    try {
      return await read((index + attempt) % length);
    } catch (error) {
      if (!(error instanceof DataError) || !options.skipBad) throw error;
      options.onWarning?.(error);
    }
  }
  throw new DataError('(dataset)', `all ${length} samples are unreadable`);
}

/** Collects shapes into the report's {shape, count} list. */
export function countShapes(shapes: number[][]): { shape: number[]; count: number }[] {
  const counts = new Map<string, { shape: number[]; count: number }>();
  for (const shape of shapes) {
    const key = shape.join('x');
    const entry = counts.get(key) ?? { shape, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()];
}
