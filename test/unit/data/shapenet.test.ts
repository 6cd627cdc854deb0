import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/dataset.js';
import { checkDataset, detectTask, openDataset } from '../../../engine/tasks/datasets.js';
import { SHAPENET_CATEGORIES, type ShapenetSampleMeta } from '../../../engine/tasks/shapenet/index.js';

const MUG = '03797390';
const TABLE = '04379243';
let parent: string;
let root: string;

async function shape(synset: string, id: string, points: (number | string)[][], labels: (number | string)[]) {
  await mkdir(join(root, synset, 'points'), { recursive: true });
  await mkdir(join(root, synset, 'points_label'), { recursive: true });
  await writeFile(
    join(root, synset, 'points', `${id}.pts`),
    points.map((p) => p.join(' ')).join('\n') + '\n',
  );
  await writeFile(join(root, synset, 'points_label', `${id}.seg`), labels.join('\n') + '\n');
}

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'ranp-shapenet-'));
  root = join(parent, 'shapenetcore_partanno_segmentation_benchmark_v0');
  await mkdir(join(root, 'train_test_split'), { recursive: true });
  await writeFile(join(root, 'synsetoffset2category.txt'), `Mug\t${MUG}\nTable\t${TABLE}\n`);
  // Mean 0, farthest point at distance 1.
  await shape(
    MUG,
    'm1',
    [
      [1, 0, 0],
      [-1, 0, 0],
      [0, 0.5, 0],
      [0, -0.5, 0],
    ],
    [1, 1, 2, 2],
  );
  // The same cloud moved by (5, 5, 5) and scaled by 3: the normalization must give the same grid.
  await shape(
    MUG,
    'm2',
    [
      [8, 5, 5],
      [2, 5, 5],
      [5, 6.5, 5],
      [5, 3.5, 5],
    ],
    [1, 1, 2, 2],
  );
  // Three points in one voxel (labels 3, 3, 1 → 3), and a far point.
  await shape(
    TABLE,
    't1',
    [
      [0.5, 0.5, 0.5],
      [0.501, 0.5, 0.5],
      [0.502, 0.5, 0.5],
      [-1.5, -1.5, -1.5],
    ],
    [3, 3, 1, 2],
  );
  await shape(
    TABLE,
    'bad_count',
    [
      [0, 0, 0],
      [1, 1, 1],
    ],
    [1],
  );
  await shape(
    TABLE,
    'bad_label',
    [
      [0, 0, 0],
      [1, 1, 1],
    ],
    [1, 4],
  );
  await shape(
    TABLE,
    'bad_number',
    [
      [0, 0, 0],
      [1, 'x', 1],
    ],
    [1, 1],
  );
  const list = (ids: string[]) => JSON.stringify(ids.map((id) => `shape_data/${id}`));
  await writeFile(
    join(root, 'train_test_split', 'shuffled_train_file_list.json'),
    list([`${MUG}/m1`, `${MUG}/m2`, `${TABLE}/t1`]),
  );
  await writeFile(
    join(root, 'train_test_split', 'shuffled_val_file_list.json'),
    list([`${TABLE}/bad_count`, `${TABLE}/bad_label`, `${TABLE}/bad_number`, `${TABLE}/absent`, `${MUG}/m1`]),
  );
  await writeFile(join(root, 'train_test_split', 'shuffled_test_file_list.json'), list([]));
});

describe('ShapeNet categories', () => {
  it('have the standard offsets: 50 parts, Mug parts 36-37, Table 47-49', () => {
    const mug = SHAPENET_CATEGORIES.find((c) => c.name === 'Mug');
    const table = SHAPENET_CATEGORIES.find((c) => c.name === 'Table');
    expect(SHAPENET_CATEGORIES).toHaveLength(16);
    expect(SHAPENET_CATEGORIES.reduce((s, c) => s + c.parts, 0)).toBe(50);
    expect([
      mug?.offset,
      table?.offset,
      SHAPENET_CATEGORIES.find((c) => c.name === 'Motorbike')?.offset,
    ]).toEqual([36, 47, 30]);
  });
});

describe('openDataset("shapenet")', () => {
  it('finds the benchmark folder inside its parent', async () => {
    expect(await detectTask(parent)).toEqual({ task: 'shapenet', root });
  });

  it('voxelizes floor(32p + 32) on 64³ with global part ids and 255 for empty voxels', async () => {
    const ds = await openDataset('shapenet', parent, 'train');
    expect([ds.length, ds.classes, ds.inputChannels, ds.ignoreLabel]).toEqual([3, 50, 1, 255]);
    const at = (x: number, y: number, z: number) => (x * 64 + y) * 64 + z;
    // (1,0,0) → (63 clamped, 32, 32); (-1,0,0) → (0, 32, 32); (0, ±0.5, 0) → (32, 48|16, 32).
    const expected = new Map([
      [at(63, 32, 32), 36],
      [at(0, 32, 32), 36],
      [at(32, 48, 32), 37],
      [at(32, 16, 32), 37],
    ]);
    for (const index of [0, 1]) {
      const sample = await ds.get(index, 0);
      expect(sample.inputShape).toEqual([64, 64, 64, 1]);
      const occupied = [...sample.input.keys()].filter((v) => sample.input[v] === 1);
      expect(occupied.sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
      for (const [v, label] of expected) expect(sample.label[v]).toBe(label);
      expect(sample.label.filter((l) => l === 255)).toHaveLength(64 ** 3 - 4);
      expect(sample.meta as unknown as ShapenetSampleMeta).toMatchObject({
        category: 'Mug',
        partIds: [36, 37],
        points: 4,
      });
    }
  });

  it('labels a voxel with the majority part and scales the formula with the grid size', async () => {
    const ds = await openDataset('shapenet', root, 'train', { grid: 8, categories: ['Table'] });
    expect(ds.length).toBe(1);
    const sample = await ds.get(0, 0);
    // Mean = (0.00075, 0, 0); the far point is farthest, at 2.5985 → scale 4 / 2.5985 = 1.5394.
    // Cluster x: (0.5 - 0.00075) * 1.5394 + 4 = 4.77 → voxel 4 (y, z likewise 4.77); its labels 3, 3, 1 → part 3.
    const cluster = (4 * 8 + 4) * 8 + 4;
    expect(sample.label[cluster]).toBe(47 + 3 - 1);
    // Far point: -1.50075 * 1.5394 + 4 = 1.69 → voxel 1 (y, z: -1.5 * 1.5394 + 4 = 1.69 → 1).
    expect(sample.label[(1 * 8 + 1) * 8 + 1]).toBe(47 + 2 - 1);
    expect(sample.input.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('rejects bad files with a DataError naming them, or skips them with skipBad', async () => {
    const ds = await openDataset('shapenet', root, 'val');
    const errors = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        ds.get(i, 0).then(
          () => undefined,
          (e: DataError) => e,
        ),
      ),
    );
    expect(errors.every((e) => e instanceof DataError)).toBe(true);
    expect(errors[0]?.file).toBe(join(root, TABLE, 'points_label', 'bad_count.seg'));
    expect(errors[0]?.problem).toMatch(/1 labels for 2 points/);
    expect(errors[1]?.file).toBe(join(root, TABLE, 'points_label', 'bad_label.seg'));
    expect(errors[1]?.problem).toMatch(/line 2: part '4' is outside 1..3 \(Table\)/);
    expect(errors[2]?.file).toBe(join(root, TABLE, 'points', 'bad_number.pts'));
    expect(errors[3]?.file).toBe(join(root, TABLE, 'points', 'absent.pts'));
    expect(errors[3]?.problem).toMatch(/missing/);
    const warnings: DataError[] = [];
    const skipping = await openDataset('shapenet', root, 'val', {
      skipBad: true,
      onWarning: (w) => warnings.push(w),
    });
    expect((await skipping.get(0, 0)).id).toBe(`${MUG}/m1`);
    expect(warnings).toHaveLength(4);
  });

  it('checkDataset lists every problem with its file', async () => {
    const report = await checkDataset(parent);
    expect(report.task).toBe('shapenet');
    expect(report.items).toBe(3);
    expect(report.groups).toEqual({ Mug: 2, Table: 1 });
    expect(report.splits).toEqual({ train: 3, val: 1, test: 0 });
    expect(report.labels).toEqual([36, 37, 47, 48, 49]);
    expect(report.problems.map((p) => p.file).sort()).toEqual(
      [
        join(root, TABLE, 'points', 'absent.pts'),
        join(root, TABLE, 'points', 'bad_number.pts'),
        join(root, TABLE, 'points_label', 'bad_count.seg'),
        join(root, TABLE, 'points_label', 'bad_label.seg'),
      ].sort(),
    );
  });
});
