/**
 * ShapeNet part segmentation mIoU, the convention of the standard benchmark (PointNet/RANP reference):
 * - only occupied voxels count (truth ≠ ignore label; empty voxels are 255);
 * - a shape's IoU is the mean over its category's parts of |pred=p ∧ truth=p| / |pred=p ∨ truth=p|,
 *   where a part absent from both prediction and truth counts IoU 1;
 * - category mIoU = mean over that category's shapes; the headline "class mIoU" is the mean over
 *   categories, "instance mIoU" the mean over all shapes.
 */

export function shapePartIoU(
  prediction: ArrayLike<number>,
  truth: ArrayLike<number>,
  parts: readonly number[],
  ignoreLabel = 255,
): number {
  if (prediction.length !== truth.length)
    throw new Error(`shapePartIoU: prediction has ${prediction.length} voxels, truth ${truth.length}`);
  if (parts.length === 0) throw new Error('shapePartIoU: the category has no parts');
  const index = new Map(parts.map((p, i) => [p, i]));
  const intersection = new Float64Array(parts.length);
  const predicted = new Float64Array(parts.length);
  const actual = new Float64Array(parts.length);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    if (t === ignoreLabel) continue;
    const pi = index.get(prediction[i]);
    const ti = index.get(t);
    if (pi !== undefined) predicted[pi]++;
    if (ti !== undefined) actual[ti]++;
    if (pi !== undefined && pi === ti) intersection[pi]++;
  }
  let sum = 0;
  for (let p = 0; p < parts.length; p++) {
    const union = predicted[p] + actual[p] - intersection[p];
    sum += union === 0 ? 1 : intersection[p] / union;
  }
  return sum / parts.length;
}

export interface ShapeIoU {
  category: string;
  iou: number;
}

export interface PartMiou {
  /** Mean over categories of the mean shape IoU (the paper's ShapeNet figure). */
  classMiou: number;
  /** Mean over all shapes. */
  instanceMiou: number;
  perCategory: Record<string, { miou: number; shapes: number }>;
}

export function aggregatePartMiou(shapes: readonly ShapeIoU[]): PartMiou {
  if (shapes.length === 0) throw new Error('aggregatePartMiou: no shapes');
  const byCategory = new Map<string, number[]>();
  for (const s of shapes) {
    const list = byCategory.get(s.category) ?? [];
    list.push(s.iou);
    byCategory.set(s.category, list);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const perCategory: PartMiou['perCategory'] = {};
  for (const [category, ious] of byCategory)
    perCategory[category] = { miou: mean(ious), shapes: ious.length };
  return {
    classMiou: mean(Object.values(perCategory).map((c) => c.miou)),
    instanceMiou: mean(shapes.map((s) => s.iou)),
    perCategory,
  };
}
