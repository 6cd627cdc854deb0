/** A named intensity window (raw values low → black, high → white). */
export interface WindowPreset {
  name: string;
  window: [number, number];
}

const BINS = 4096;

/**
 * Percentile of the values other than the most common one (MRI background, usually 0, fills most of a
 * volume and would pull every percentile to it). From a histogram of `BINS` bins over [min, max]: exact
 * to one bin width, in one pass over the voxels.
 */
export function foregroundPercentiles(
  values: ArrayLike<number>,
  range: readonly [number, number],
  percentiles: readonly number[],
): number[] {
  const [min, max] = range;
  const width = (max - min) / BINS || 1;
  const counts = new Float64Array(BINS);
  for (let v = 0; v < values.length; v++) {
    const value = values[v];
    if (!(value >= min && value <= max)) continue;
    counts[Math.min(BINS - 1, Math.floor((value - min) / width))]++;
  }
  let background = 0;
  for (let b = 1; b < BINS; b++) if (counts[b] > counts[background]) background = b;
  const total = counts.reduce((s, c) => s + c, 0) - counts[background];
  if (total <= 0) return percentiles.map(() => min);
  return percentiles.map((p) => {
    const wanted = (p / 100) * total;
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      if (b === background) continue;
      seen += counts[b];
      if (seen >= wanted) return min + (b + 1) * width;
    }
    return max;
  });
}

/** Full range, robust (1st–99th percentile of the foreground) and high contrast (5th–95th). */
export function windowPresets(values: ArrayLike<number>, range: readonly [number, number]): WindowPreset[] {
  const [p1, p5, p95, p99] = foregroundPercentiles(values, range, [1, 5, 95, 99]);
  const presets: WindowPreset[] = [{ name: 'full range', window: [range[0], range[1]] }];
  if (p99 > p1) presets.push({ name: 'robust (1–99th percentile)', window: [p1, p99] });
  if (p95 > p5) presets.push({ name: 'high contrast (5–95th percentile)', window: [p5, p95] });
  return presets;
}
