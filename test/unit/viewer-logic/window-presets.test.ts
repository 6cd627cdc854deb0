import { describe, expect, it } from 'vitest';
import { foregroundPercentiles, windowPresets } from '../../../renderer/viewer/window-presets.js';

describe('window presets', () => {
  it('takes percentiles over the values other than the background, within one histogram bin', () => {
    // 10 000 background zeros and the foreground values 1..1000 once each.
    const values = new Float32Array(11_000);
    for (let v = 1; v <= 1000; v++) values[10_000 + v - 1] = v;
    const [p1, p50, p99] = foregroundPercentiles(values, [0, 1000], [1, 50, 99]);
    const bin = 1000 / 4096;
    // By hand: the 1st, 50th, 99th percentile of 1..1000 are 10, 500, 990.
    expect(Math.abs(p1 - 10)).toBeLessThanOrEqual(bin);
    expect(Math.abs(p50 - 500)).toBeLessThanOrEqual(bin);
    expect(Math.abs(p99 - 990)).toBeLessThanOrEqual(bin);
  });

  it('treats the most common value as background even when it is not 0 (a CT-like −1024)', () => {
    const values = new Int16Array(5000).fill(-1024);
    for (let v = 0; v < 100; v++) values[v] = v * 10; // 0..990
    const [p1, p99] = foregroundPercentiles(values, [-1024, 990], [1, 99]);
    expect(p1).toBeGreaterThanOrEqual(0);
    expect(Math.abs(p99 - 980)).toBeLessThanOrEqual(2014 / 4096);
  });

  it('offers the full range first and drops percentile presets that collapse', () => {
    expect(windowPresets(new Uint8Array([0, 0, 0, 7, 7]), [0, 7]).map((p) => p.name)).toEqual(['full range']);
    const presets = windowPresets(
      Uint8Array.from({ length: 256 }, (_, i) => i),
      [0, 255],
    );
    expect(presets.map((p) => p.name)).toEqual([
      'full range',
      'robust (1–99th percentile)',
      'high contrast (5–95th percentile)',
    ]);
    expect(presets[0].window).toEqual([0, 255]);
  });
});
