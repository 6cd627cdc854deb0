/**
 * Per-shape part IoU as in ShapeNet part segmentation: over the shape's category parts, on occupied
 * voxels only (ignore label = empty); a part absent from both truth and prediction counts as IoU 1.
 */
export interface ShapeIoU {
  perPart: { part: number; iou: number; intersection: number; union: number }[];
  mean: number;
}

export function shapeIoU(
  truth: ArrayLike<number>,
  prediction: ArrayLike<number>,
  parts: readonly number[],
  ignoreLabel = 255,
): ShapeIoU {
  if (truth.length !== prediction.length) {
    throw new Error(`shapeIoU: truth has ${truth.length} voxels, prediction ${prediction.length}`);
  }
  if (parts.length === 0) throw new Error('shapeIoU: the category has no parts');
  const perPart = parts.map((part) => {
    let intersection = 0;
    let union = 0;
    for (let v = 0; v < truth.length; v++) {
      if (truth[v] === ignoreLabel) continue;
      const t = truth[v] === part;
      const p = prediction[v] === part;
      if (t && p) intersection++;
      if (t || p) union++;
    }
    return { part, intersection, union, iou: union === 0 ? 1 : intersection / union };
  });
  return { perPart, mean: perPart.reduce((s, p) => s + p.iou, 0) / perPart.length };
}

/** 1 where the prediction's label differs from the truth's (on occupied voxels; empty ones are 255 in both). */
export function wrongVoxels(truth: ArrayLike<number>, prediction: ArrayLike<number>): Uint8Array {
  const wrong = new Uint8Array(truth.length);
  for (let v = 0; v < truth.length; v++) wrong[v] = truth[v] !== prediction[v] ? 1 : 0;
  return wrong;
}
