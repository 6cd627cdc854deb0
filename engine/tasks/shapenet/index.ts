import type { DatasetReader } from '../../data/reader.js';
import { checkShapenetFolder } from './check.js';
import { openShapenetDataset, type ShapenetOptions } from './dataset.js';
import { detectShapenetRoot } from './layout.js';

export const shapenetReader: DatasetReader<ShapenetOptions> = {
  task: 'shapenet',
  detect: detectShapenetRoot,
  open: openShapenetDataset,
  check: checkShapenetFolder,
};

export { openShapenetDataset, type ShapenetOptions, type ShapenetSampleMeta } from './dataset.js';
export { SHAPENET_CATEGORIES, SHAPENET_PARTS, categoryPartIds, type ShapenetCategory } from './categories.js';
export { voxelizePoints, EMPTY_VOXEL, type VoxelizedShape } from './voxelize.js';
export { readShapenetCloud, type ShapenetCloud } from './shape.js';
export { SHAPENET_FOLDER, detectShapenetRoot, readSplitList, type ShapenetShape } from './layout.js';
