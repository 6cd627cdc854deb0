import { DataError, type Dataset, type Sample, type SplitName } from '../../data/dataset.js';
import { readSkippingBad, type CommonDatasetOptions } from '../../data/reader.js';
import { categoryPartIds, SHAPENET_PARTS } from './categories.js';
import { readCategoryFile, readSplitList } from './layout.js';
import { readShapenetCloud } from './shape.js';
import { EMPTY_VOXEL, voxelizePoints } from './voxelize.js';

export interface ShapenetOptions extends CommonDatasetOptions {
  /** Voxel grid edge (default 64). */
  grid?: number;
  /** Category names to keep (default: all listed in synsetoffset2category.txt). */
  categories?: string[];
  /** Use only the first n shapes of the split list. */
  limit?: number;
}

/** Fields of Sample.meta for ShapeNet. */
export interface ShapenetSampleMeta {
  category: string;
  synset: string;
  /** Global ids of the category's parts: mIoU of this shape is taken over these. */
  partIds: number[];
  points: number;
  occupiedVoxels: number;
}

export async function openShapenetDataset(
  root: string,
  split: SplitName,
  options: ShapenetOptions = {},
): Promise<Dataset> {
  const grid = options.grid ?? 64;
  let categories = await readCategoryFile(root);
  if (options.categories) {
    const unknown = options.categories.filter((name) => !categories.some((c) => c.name === name));
    if (unknown.length)
      throw new DataError(
        root,
        `categories ${unknown.join(', ')} are not listed in synsetoffset2category.txt`,
      );
    categories = categories.filter((c) => options.categories?.includes(c.name));
  }
  let shapes = await readSplitList(root, split, categories);
  if (options.limit !== undefined) shapes = shapes.slice(0, options.limit);
  if (shapes.length === 0)
    throw new DataError(root, `the ${split} split lists no shapes of the chosen categories`);
  return {
    task: 'shapenet',
    split,
    length: shapes.length,
    sampleSize: [grid, grid, grid],
    inputChannels: 1,
    classes: SHAPENET_PARTS,
    ignoreLabel: EMPTY_VOXEL,
    indexOf: (id) => shapes.findIndex((s) => s.id === id),
    get(index) {
      return readSkippingBad(shapes.length, index, options, async (i): Promise<Sample> => {
        const shape = shapes[i];
        const cloud = await readShapenetCloud(shape);
        const voxels = voxelizePoints(cloud.points, cloud.labels, grid);
        const meta: ShapenetSampleMeta = {
          category: shape.category.name,
          synset: shape.category.synset,
          partIds: categoryPartIds(shape.category),
          points: cloud.labels.length,
          occupiedVoxels: voxels.occupied,
        };
        return {
          id: shape.id,
          input: voxels.occupancy,
          inputShape: [grid, grid, grid, 1],
          label: voxels.labels,
          labelShape: [grid, grid, grid],
          meta: { ...meta },
        };
      });
    },
  };
}
