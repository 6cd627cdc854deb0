import { readFile } from 'node:fs/promises';
import { DataError } from '../../data/dataset.js';
import type { ShapenetShape } from './layout.js';

export interface ShapenetCloud {
  /** x, y, z interleaved. */
  points: Float32Array;
  /** Global part id per point (category offset applied). */
  labels: Int32Array;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new DataError(
      file,
      `cannot read (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (error as Error).message})`,
    );
  }
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

const AXES = ['x', 'y', 'z'];
/** Largest float32: a coordinate beyond it is stored as ±Inf. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Parses "x y z" lines. Every bad line is counted, like the NIfTI reader's non-finite voxels
 * (engine/data/nifti/finite.ts), so the message says how many and where the first one is, not only
 * that the first one is wrong: lines without three numbers, then coordinates that are NaN, ±Inf
 * or beyond float32 (they would be ±Inf once read), then a cloud of one repeated point.
 */
function parsePoints(file: string, pointLines: string[]): Float32Array {
  const points = new Float32Array(pointLines.length * 3);
  let malformed = 0;
  let firstMalformed = -1;
  let nan = 0;
  let infinite = 0;
  let firstNonFinite: { line: number; axis: number } | undefined;
  pointLines.forEach((line, n) => {
    const tokens = line.trim().split(/\s+/);
    const values = tokens.map(Number);
    const notNumber = (token: string, v: number) => Number.isNaN(v) && !/^[+-]?nan$/i.test(token);
    if (values.length !== 3 || values.some((v, i) => notNumber(tokens[i], v))) {
      malformed++;
      if (firstMalformed < 0) firstMalformed = n;
      return;
    }
    values.forEach((v, axis) => {
      if (Number.isFinite(v) && Math.abs(v) <= FLOAT32_MAX) return;
      if (Number.isNaN(v)) nan++;
      else infinite++;
      firstNonFinite ??= { line: n + 1, axis };
    });
    points.set(values, 3 * n);
  });
  const lines = pointLines.length;
  if (malformed > 0)
    throw new DataError(
      file,
      `${malformed} of ${lines} lines are not 3 numbers "x y z", the first at line ${firstMalformed + 1}: ` +
        `'${pointLines[firstMalformed].trim().slice(0, 60)}'`,
    );
  if (firstNonFinite) {
    const kinds = [nan ? `${nan} NaN` : '', infinite ? `${infinite} ±Inf or beyond float32` : '']
      .filter(Boolean)
      .join(', ');
    throw new DataError(
      file,
      `${nan + infinite} of ${3 * lines} coordinates are not finite (${kinds}), the first at line ` +
        `${firstNonFinite.line} (${AXES[firstNonFinite.axis]}); expected finite numbers — ` +
        'the cloud cannot be centred and scaled with them: fix or remove those points',
    );
  }
  const same = (p: number) =>
    points[3 * p] === points[0] && points[3 * p + 1] === points[1] && points[3 * p + 2] === points[2];
  if (lines > 1 && pointLines.every((_, p) => same(p)))
    throw new DataError(
      file,
      `all ${lines} points are at (${pointLines[0].trim().split(/\s+/).join(', ')}): the cloud has no extent, ` +
        'so it cannot be scaled to unit radius (expected the points of a shape)',
    );
  return points;
}

/** Reads a .pts/.seg pair and checks one label per point, each within the category's parts. */
export async function readShapenetCloud(shape: ShapenetShape): Promise<ShapenetCloud> {
  const pointLines = lines(await readText(shape.pointsFile));
  const labelLines = lines(await readText(shape.labelsFile));
  if (pointLines.length === 0) throw new DataError(shape.pointsFile, 'no points');
  const points = parsePoints(shape.pointsFile, pointLines);
  if (labelLines.length !== pointLines.length) {
    throw new DataError(
      shape.labelsFile,
      `${labelLines.length} labels for ${pointLines.length} points in ${shape.pointsFile}`,
    );
  }
  const { category } = shape;
  const labels = new Int32Array(labelLines.length);
  let outside = 0;
  let firstOutside = -1;
  labelLines.forEach((line, n) => {
    const part = Number(line.trim());
    if (!Number.isInteger(part) || part < 1 || part > category.parts) {
      outside++;
      if (firstOutside < 0) firstOutside = n;
      return;
    }
    labels[n] = category.offset + part - 1;
  });
  if (outside > 0)
    throw new DataError(
      shape.labelsFile,
      `${outside} of ${labelLines.length} labels are not parts of ${category.name}, the first at ` +
        `line ${firstOutside + 1}: part '${labelLines[firstOutside].trim().slice(0, 30)}' is outside ` +
        `1..${category.parts} (${category.name})`,
    );
  return { points, labels };
}
