import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../../engine/data/dataset.js';
import { SHAPENET_CATEGORIES, readShapenetCloud, voxelizePoints } from '../../engine/tasks/shapenet/index.js';
import { mutateBytes } from '../mutate.js';
import { isErrorOf, type FuzzTarget } from '../target.js';

const ROOT = path.resolve('assets/samples/shapenet/shapenetcore_partanno_segmentation_benchmark_v0');
const SEPARATOR = '\n=====\n';

/**
 * ShapeNet part files: one input is `<synset>` + .pts text + .seg text; the reader parses the pair
 * and the voxelizer turns it into a grid, as training does. The corpus is the bundled sample shapes.
 */
export const shapenetTarget: FuzzTarget = {
  name: 'shapenet',
  async corpus() {
    const corpus: Uint8Array[] = [];
    for (const synset of readdirSync(ROOT).filter((d) => /^\d{8}$/.test(d))) {
      for (const file of readdirSync(path.join(ROOT, synset, 'points')).slice(0, 2)) {
        const id = file.replace(/\.pts$/, '');
        const pts = readFileSync(path.join(ROOT, synset, 'points', `${id}.pts`), 'utf8');
        const seg = readFileSync(path.join(ROOT, synset, 'points_label', `${id}.seg`), 'utf8');
        // Keep inputs small so mutations hit structure, not only coordinates.
        const keep = (text: string) => text.split('\n').slice(0, 64).join('\n');
        corpus.push(new TextEncoder().encode([synset, keep(pts), keep(seg)].join(SEPARATOR)));
      }
    }
    return corpus;
  },
  mutate: mutateBytes,
  async run(input, scratch) {
    const [synset, pts, seg] = new TextDecoder().decode(input).split(SEPARATOR);
    const category = SHAPENET_CATEGORIES.find((c) => c.synset === synset.trim()) ?? SHAPENET_CATEGORIES[0];
    const pointsFile = path.join(scratch, 'shape.pts');
    const labelsFile = path.join(scratch, 'shape.seg');
    writeFileSync(pointsFile, pts ?? '');
    writeFileSync(labelsFile, seg ?? '');
    const cloud = await readShapenetCloud({
      id: `${category.synset}/shape`,
      category,
      pointsFile,
      labelsFile,
    });
    return voxelizePoints(cloud.points, cloud.labels, 32);
  },
  isSpecificError: isErrorOf(DataError),
};
