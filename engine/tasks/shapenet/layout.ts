import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, type SplitName } from '../../data/dataset.js';
import { SHAPENET_CATEGORIES, type ShapenetCategory } from './categories.js';

export const SHAPENET_FOLDER = 'shapenetcore_partanno_segmentation_benchmark_v0';
const CATEGORY_FILE = 'synsetoffset2category.txt';

export interface ShapenetShape {
  /** '<synset>/<shape id>' */
  id: string;
  category: ShapenetCategory;
  pointsFile: string;
  labelsFile: string;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The benchmark folder: `dir` itself or `dir/shapenetcore_partanno_segmentation_benchmark_v0`. */
export async function detectShapenetRoot(dir: string): Promise<string | undefined> {
  for (const candidate of [dir, join(dir, SHAPENET_FOLDER)]) {
    if (await isFile(join(candidate, CATEGORY_FILE))) return candidate;
  }
  return undefined;
}

/** Categories listed in synsetoffset2category.txt ("Airplane\t02691156" per line), checked against the standard 16. */
export async function readCategoryFile(root: string): Promise<ShapenetCategory[]> {
  const file = join(root, CATEGORY_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new DataError(file, 'missing: the ShapeNet part benchmark lists its categories here');
  }
  const found: ShapenetCategory[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    if (!line.trim()) return;
    const [name, synset] = line.trim().split(/\s+/);
    const category = SHAPENET_CATEGORIES.find((c) => c.name === name && c.synset === synset);
    if (!category)
      throw new DataError(
        file,
        `line ${n + 1}: '${line.trim()}' is not one of the 16 standard categories with its synset`,
      );
    found.push(category);
  });
  return found;
}

export function shapeFromListEntry(
  root: string,
  entry: string,
  categories: readonly ShapenetCategory[],
): ShapenetShape | undefined {
  // Entries look like "shape_data/02691156/1021a0914a7207aff927ed529ad90a11".
  const [, synset, shapeId] = entry.split('/');
  const category = categories.find((c) => c.synset === synset);
  if (!category || !shapeId) return undefined;
  return {
    id: `${synset}/${shapeId}`,
    category,
    pointsFile: join(root, synset, 'points', `${shapeId}.pts`),
    labelsFile: join(root, synset, 'points_label', `${shapeId}.seg`),
  };
}

export function splitListFile(root: string, split: SplitName): string {
  return join(root, 'train_test_split', `shuffled_${split}_file_list.json`);
}

/** Shapes of a split, in list order, limited to the categories given. */
export async function readSplitList(
  root: string,
  split: SplitName,
  categories: readonly ShapenetCategory[],
): Promise<ShapenetShape[]> {
  const file = splitListFile(root, split);
  let entries: unknown;
  try {
    entries = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new DataError(file, `cannot read the split list (${(error as Error).message})`);
  }
  if (!Array.isArray(entries) || entries.some((e) => typeof e !== 'string')) {
    throw new DataError(file, 'expected a JSON array of "shape_data/<synset>/<id>" strings');
  }
  return (entries as string[]).flatMap((entry) => shapeFromListEntry(root, entry, categories) ?? []);
}

/** Every shape with a points file in `<synset>/points/`, per listed category. */
export async function listShapeFiles(
  root: string,
  categories: readonly ShapenetCategory[],
): Promise<ShapenetShape[]> {
  const shapes: ShapenetShape[] = [];
  for (const category of categories) {
    let names: string[] = [];
    try {
      names = (await readdir(join(root, category.synset, 'points'))).filter((n) => n.endsWith('.pts')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const shape = shapeFromListEntry(
        root,
        `shape_data/${category.synset}/${name.slice(0, -4)}`,
        categories,
      );
      if (shape) shapes.push(shape);
    }
  }
  return shapes;
}
