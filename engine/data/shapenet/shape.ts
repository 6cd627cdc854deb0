import { readFile } from 'node:fs/promises';
import { DataError } from '../dataset.js';
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

/** Reads a .pts/.seg pair and checks one label per point, each within the category's parts. */
export async function readShapenetCloud(shape: ShapenetShape): Promise<ShapenetCloud> {
  const pointLines = lines(await readText(shape.pointsFile));
  const labelLines = lines(await readText(shape.labelsFile));
  if (pointLines.length === 0) throw new DataError(shape.pointsFile, 'no points');
  const points = new Float32Array(pointLines.length * 3);
  pointLines.forEach((line, n) => {
    const values = line.trim().split(/\s+/).map(Number);
    if (values.length !== 3 || values.some((v) => !Number.isFinite(v))) {
      throw new DataError(
        shape.pointsFile,
        `line ${n + 1}: expected 3 numbers "x y z", got '${line.trim().slice(0, 60)}'`,
      );
    }
    points.set(values, 3 * n);
  });
  if (labelLines.length !== pointLines.length) {
    throw new DataError(
      shape.labelsFile,
      `${labelLines.length} labels for ${pointLines.length} points in ${shape.pointsFile}`,
    );
  }
  const { category } = shape;
  const labels = new Int32Array(labelLines.length);
  labelLines.forEach((line, n) => {
    const part = Number(line.trim());
    if (!Number.isInteger(part) || part < 1 || part > category.parts) {
      throw new DataError(
        shape.labelsFile,
        `line ${n + 1}: part '${line.trim()}' is outside 1..${category.parts} (${category.name})`,
      );
    }
    labels[n] = category.offset + part - 1;
  });
  return { points, labels };
}
