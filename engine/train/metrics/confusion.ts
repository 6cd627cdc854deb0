/**
 * Per-class confusion matrix: rows are true classes, columns predicted classes, row-major
 * classes × classes counts. Voxels whose truth is the ignore label are skipped; labels outside
 * [0, classes) are an error (they mean a label map and the net disagree).
 */
export function addToConfusion(
  matrix: Float64Array,
  classes: number,
  prediction: ArrayLike<number>,
  truth: ArrayLike<number>,
  ignoreLabel = 255,
): Float64Array {
  if (matrix.length !== classes * classes)
    throw new Error(
      `confusion: matrix has ${matrix.length} cells, ${classes} classes need ${classes * classes}`,
    );
  if (prediction.length !== truth.length)
    throw new Error(`confusion: prediction has ${prediction.length} entries, truth ${truth.length}`);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    if (t === ignoreLabel) continue;
    const p = prediction[i];
    if (t < 0 || t >= classes || p < 0 || p >= classes)
      throw new Error(`confusion: label ${t} or prediction ${p} at index ${i} is outside 0..${classes - 1}`);
    matrix[t * classes + p]++;
  }
  return matrix;
}

export function confusionMatrix(
  classes: number,
  prediction: ArrayLike<number>,
  truth: ArrayLike<number>,
  ignoreLabel = 255,
): Float64Array {
  return addToConfusion(new Float64Array(classes * classes), classes, prediction, truth, ignoreLabel);
}
