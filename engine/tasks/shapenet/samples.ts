import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHAPENET_CATEGORIES } from './categories.js';
import { SHAPENET_FOLDER } from './layout.js';
import { seededRandom, shuffled, type Random } from '../../data/random.js';

/**
 * A ShapeNet part-benchmark-layout folder: point clouds with per-point part labels, sampled from
 * surfaces — the Stanford bunny (public domain; npm 'bunny') split into ears/head/body by geometry,
 * and primitive-built mugs, tables and lamps. Each instance varies in proportions and rotation.
 * Categories reuse the benchmark's slots (the bunny fills Earphone's 3 parts).
 */
export interface ShapenetSampleOptions {
  outDir: string;
  bunny: { positions: number[][]; cells: number[][] };
  perCategory: number;
  points: number;
  seed: number;
}

type Vec = [number, number, number];
/** A part surface: a sampler of one uniform point, and its area (for point allocation). */
interface Surface {
  part: number;
  area: number;
  sample(random: Random): Vec;
}

function cylinder(part: number, centre: Vec, radius: number, height: number, caps: boolean): Surface[] {
  const side: Surface = {
    part,
    area: 2 * Math.PI * radius * height,
    sample: (r) => {
      const a = 2 * Math.PI * r();
      return [
        centre[0] + radius * Math.cos(a),
        centre[1] + height * (r() - 0.5),
        centre[2] + radius * Math.sin(a),
      ];
    },
  };
  const disk = (y: number): Surface => ({
    part,
    area: Math.PI * radius * radius,
    sample: (r) => {
      const a = 2 * Math.PI * r();
      const d = radius * Math.sqrt(r());
      return [centre[0] + d * Math.cos(a), y, centre[2] + d * Math.sin(a)];
    },
  });
  return caps
    ? [side, disk(centre[1] - height / 2), disk(centre[1] + height / 2)]
    : [side, disk(centre[1] - height / 2)];
}

function box(part: number, centre: Vec, size: Vec): Surface[] {
  return [0, 1, 2].flatMap((axis) =>
    [-1, 1].map((sign) => {
      const [u, v] = [0, 1, 2].filter((a) => a !== axis);
      return {
        part,
        area: size[u] * size[v],
        sample: (r: Random) => {
          const p: Vec = [...centre];
          p[axis] += (sign * size[axis]) / 2;
          p[u] += size[u] * (r() - 0.5);
          p[v] += size[v] * (r() - 0.5);
          return p;
        },
      };
    }),
  );
}

/** Half torus in the x-y plane (a mug handle). */
function handle(part: number, centre: Vec, major: number, minor: number): Surface {
  return {
    part,
    area: 2 * Math.PI * minor * Math.PI * major,
    sample: (r) => {
      const u = Math.PI * (r() - 0.5);
      const v = 2 * Math.PI * r();
      const ring = major + minor * Math.cos(v);
      return [
        centre[0] + ring * Math.cos(u),
        centre[1] + ring * Math.sin(u),
        centre[2] + minor * Math.sin(v),
      ];
    },
  };
}

function cone(part: number, apex: Vec, radius: number, height: number): Surface {
  return {
    part,
    area: Math.PI * radius * Math.hypot(radius, height),
    sample: (r) => {
      const t = Math.sqrt(r());
      const a = 2 * Math.PI * r();
      return [apex[0] + t * radius * Math.cos(a), apex[1] - t * height, apex[2] + t * radius * Math.sin(a)];
    },
  };
}

function sphere(part: number, centre: Vec, radius: number): Surface {
  return {
    part,
    area: 4 * Math.PI * radius * radius,
    sample: (r) => {
      const z = 2 * r() - 1;
      const a = 2 * Math.PI * r();
      const s = Math.sqrt(1 - z * z);
      return [
        centre[0] + radius * s * Math.cos(a),
        centre[1] + radius * z,
        centre[2] + radius * s * Math.sin(a),
      ];
    },
  };
}

const between = (r: Random, low: number, high: number) => low + (high - low) * r();

function mug(r: Random): Surface[] {
  const radius = between(r, 0.35, 0.5);
  const height = between(r, 0.7, 1.1);
  return [
    ...cylinder(1, [0, 0, 0], radius, height, false),
    handle(2, [radius, 0, 0], height * between(r, 0.25, 0.35), 0.05),
  ];
}

function table(r: Random): Surface[] {
  const [w, d, h] = [between(r, 1.2, 1.8), between(r, 0.7, 1.1), between(r, 0.7, 1)];
  const top = box(1, [0, h, 0], [w, 0.06, d]);
  const legs = [-1, 1].flatMap((sx) =>
    [-1, 1].flatMap((sz) => box(2, [(sx * (w - 0.12)) / 2, h / 2, (sz * (d - 0.12)) / 2], [0.06, h, 0.06])),
  );
  const bar = box(3, [0, h * between(r, 0.2, 0.4), 0], [w - 0.12, 0.04, 0.04]);
  return [...top, ...legs, ...bar];
}

function lamp(r: Random): Surface[] {
  const pole = between(r, 1, 1.6);
  return [
    ...cylinder(1, [0, 0.03, 0], between(r, 0.25, 0.4), 0.06, true),
    cone(2, [0, pole + 0.3, 0], between(r, 0.3, 0.45), between(r, 0.3, 0.45)),
    sphere(3, [0, pole + 0.05, 0], 0.08),
    ...cylinder(4, [0, pole / 2, 0], 0.03, pole, false),
  ];
}

/** Bunny triangles, each labelled 1 ears (top), 2 head (front upper), 3 body, by its centroid. */
function bunnySurfaces(bunny: ShapenetSampleOptions['bunny']): Surface[] {
  return bunny.cells.map((cell) => {
    const [a, b, c] = cell.map((i) => bunny.positions[i] as Vec);
    const centroid = [0, 1, 2].map((k) => (a[k] + b[k] + c[k]) / 3);
    const part = centroid[1] > 7 ? 1 : centroid[0] < -1 && centroid[1] > 4 ? 2 : 3;
    const ab = [0, 1, 2].map((k) => b[k] - a[k]);
    const ac = [0, 1, 2].map((k) => c[k] - a[k]);
    const cross = [
      ab[1] * ac[2] - ab[2] * ac[1],
      ab[2] * ac[0] - ab[0] * ac[2],
      ab[0] * ac[1] - ab[1] * ac[0],
    ];
    return {
      part,
      area: Math.hypot(cross[0], cross[1], cross[2]) / 2,
      sample: (r: Random): Vec => {
        let [u, v] = [r(), r()];
        if (u + v > 1) [u, v] = [1 - u, 1 - v];
        return [0, 1, 2].map((k) => a[k] + u * ab[k] + v * ac[k]) as Vec;
      },
    };
  });
}

/** Area-weighted points over the surfaces, then a random yaw and per-axis stretch. */
function samplePoints(surfaces: Surface[], count: number, r: Random): { points: Vec[]; parts: number[] } {
  const total = surfaces.reduce((sum, s) => sum + s.area, 0);
  const cumulative: number[] = [];
  surfaces.reduce((sum, s) => (cumulative.push(sum + s.area), sum + s.area), 0);
  const yaw = 2 * Math.PI * r();
  const stretch = [between(r, 0.9, 1.1), between(r, 0.9, 1.1), between(r, 0.9, 1.1)];
  const points: Vec[] = [];
  const parts: number[] = [];
  for (let n = 0; n < count; n++) {
    const pick = r() * total;
    const surface =
      surfaces[
        Math.min(
          surfaces.length - 1,
          cumulative.findIndex((c) => c >= pick),
        )
      ];
    const [x, y, z] = surface.sample(r).map((v, k) => v * stretch[k]);
    points.push([x * Math.cos(yaw) - z * Math.sin(yaw), y, x * Math.sin(yaw) + z * Math.cos(yaw)]);
    parts.push(surface.part);
  }
  return { points, parts };
}

export async function makeShapenetSamples(options: ShapenetSampleOptions): Promise<string> {
  const root = join(options.outDir, SHAPENET_FOLDER);
  const bunny = bunnySurfaces(options.bunny);
  const makers: Record<string, (r: Random) => Surface[]> = {
    Earphone: () => bunny,
    Lamp: lamp,
    Mug: mug,
    Table: table,
  };
  const random = seededRandom(options.seed);
  const lists: Record<'train' | 'val' | 'test', string[]> = { train: [], val: [], test: [] };
  const categoryLines: string[] = [];
  for (const [name, make] of Object.entries(makers)) {
    const category = SHAPENET_CATEGORIES.find((c) => c.name === name);
    if (!category) throw new Error(`makeShapenetSamples: unknown category ${name}`);
    categoryLines.push(`${name}\t${category.synset}`);
    for (let n = 0; n < options.perCategory; n++) {
      const id = `ranp${category.synset.slice(-4)}${String(n).padStart(4, '0')}`;
      const { points, parts } = samplePoints(make(random), options.points, random);
      await mkdir(join(root, category.synset, 'points'), { recursive: true });
      await mkdir(join(root, category.synset, 'points_label'), { recursive: true });
      await writeFile(
        join(root, category.synset, 'points', `${id}.pts`),
        points.map((p) => p.map((v) => v.toFixed(4)).join(' ')).join('\n') + '\n',
      );
      await writeFile(join(root, category.synset, 'points_label', `${id}.seg`), parts.join('\n') + '\n');
      const split = n === 0 ? 'test' : n === 1 ? 'val' : 'train';
      lists[split].push(`shape_data/${category.synset}/${id}`);
    }
  }
  await writeFile(join(root, 'synsetoffset2category.txt'), categoryLines.join('\n') + '\n');
  await mkdir(join(root, 'train_test_split'), { recursive: true });
  for (const [split, entries] of Object.entries(lists)) {
    await writeFile(
      join(root, 'train_test_split', `shuffled_${split}_file_list.json`),
      JSON.stringify(shuffled(entries, random)),
    );
  }
  return root;
}
