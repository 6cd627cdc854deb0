import type { CurvePoint } from './types.js';

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the first and last point and, in each of
 * `maxPoints − 2` equal buckets between them, the point forming the largest triangle with the point
 * kept before and the next bucket's average — so peaks and dips survive, unlike plain striding.
 * Points must be sorted by step. Returns the input itself when it is already small enough.
 */
export function downsampleLttb(points: readonly CurvePoint[], maxPoints: number): CurvePoint[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 3) {
    throw new RangeError(`downsampleLttb: maxPoints must be an integer >= 3, got ${maxPoints}`);
  }
  const n = points.length;
  if (n <= maxPoints) return points.slice();
  const bucketSize = (n - 2) / (maxPoints - 2);
  const kept: CurvePoint[] = [points[0]];
  let previous = 0;
  for (let bucket = 0; bucket < maxPoints - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    // Average of the next bucket (the last point for the final bucket).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgStep = 0;
    let avgValue = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      avgStep += points[i].step;
      avgValue += points[i].value;
    }
    const count = nextEnd - nextStart;
    avgStep /= count;
    avgValue /= count;
    const a = points[previous];
    let bestArea = -1;
    let best = start;
    for (let i = start; i < end; i++) {
      const area = Math.abs(
        (a.step - avgStep) * (points[i].value - a.value) - (a.step - points[i].step) * (avgValue - a.value),
      );
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    kept.push(points[best]);
    previous = best;
  }
  kept.push(points[n - 1]);
  return kept;
}
