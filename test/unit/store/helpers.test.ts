import { describe, expect, it } from 'vitest';
import { betterDirection, differingParams, meanAndStd, withoutSeed } from '../../../engine/store/compare.js';
import { parseCsv, toCsv } from '../../../engine/store/csv.js';
import { downsampleLttb } from '../../../engine/store/downsample.js';
import { defaultDataDir, resolveDataPaths } from '../../../engine/store/paths.js';
import { resolveInside, unsafePathReason } from '../../../engine/store/safe-path.js';

describe('defaultDataDir', () => {
  it('follows each platform convention', () => {
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/xdg' }, '/home/u')).toBe('/xdg/ranp-studio');
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.local/share/ranp-studio');
    // XDG spec: a relative XDG_DATA_HOME is invalid and ignored.
    expect(defaultDataDir('linux', { XDG_DATA_HOME: 'rel' }, '/home/u')).toBe(
      '/home/u/.local/share/ranp-studio',
    );
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/RANP Studio');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\RANP Studio',
    );
  });

  it('prefers the explicit option, then RANP_DATA_DIR; --db moves only the database', () => {
    expect(resolveDataPaths({ dataDir: '/a' }, { RANP_DATA_DIR: '/b' }).dataDir).toBe('/a');
    expect(resolveDataPaths({}, { RANP_DATA_DIR: '/b' }).database).toBe('/b/ranp.sqlite');
    const paths = resolveDataPaths({ dbPath: '/x/my.db' }, { RANP_DATA_DIR: '/b' });
    expect(paths.database).toBe('/x/my.db');
    expect(paths.checkpoints).toBe('/b/checkpoints');
  });
});

describe('downsampleLttb', () => {
  it('keeps first, last and the spike (hand-computed buckets)', () => {
    const values = [0, 1, 0, 5, 0, 1, 0];
    const points = values.map((value, step) => ({ step, value }));
    // bucket size 2.5: bucket 1 = steps 1..2 → step 2 (area 4 > 2); bucket 2 = steps 3..5 → step 3 (area 20).
    expect(downsampleLttb(points, 4)).toEqual([
      { step: 0, value: 0 },
      { step: 2, value: 0 },
      { step: 3, value: 5 },
      { step: 6, value: 0 },
    ]);
  });

  it('reduces 100,000 points to the requested count, preserving the global extremes', () => {
    const points = Array.from({ length: 100_000 }, (_, step) => ({ step, value: Math.sin(step / 1000) }));
    points[54_321] = { step: 54_321, value: 10 };
    const kept = downsampleLttb(points, 500);
    expect(kept).toHaveLength(500);
    expect(kept.some((p) => p.step === 54_321)).toBe(true);
    expect(kept.every((p, i) => i === 0 || p.step > kept[i - 1].step)).toBe(true);
  });

  it('returns small inputs unchanged and rejects maxPoints < 3', () => {
    expect(downsampleLttb([{ step: 0, value: 1 }], 10)).toEqual([{ step: 0, value: 1 }]);
    expect(() => downsampleLttb([], 2)).toThrow(/maxPoints/);
  });
});

describe('compare helpers', () => {
  it('finds differing dot paths, counting absent keys', () => {
    const diff = differingParams([
      { lr: 0.1, opt: { momentum: 0.9, nesterov: true }, sizes: [1, 2] },
      { lr: 0.1, opt: { momentum: 0.8, nesterov: true }, sizes: [1, 2], extra: 'x' },
    ]);
    expect(diff).toEqual([
      { key: 'extra', values: [undefined, 'x'] },
      { key: 'opt.momentum', values: [0.9, 0.8] },
    ]);
  });

  it('mean and sample std match the textbook example', () => {
    const { mean, std } = meanAndStd([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(mean).toBe(5);
    expect(std).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(meanAndStd([3])).toEqual({ mean: 3, std: 0 });
  });

  it('knows which metrics improve downwards and strips seeds at any depth', () => {
    expect(betterDirection('train_loss')).toBe('min');
    expect(betterDirection('hd95_et')).toBe('min');
    expect(betterDirection('dice_et')).toBe('max');
    expect(betterDirection('val miou')).toBe('max');
    expect(betterDirection('peak tensor MB')).toBe('min');
    expect(betterDirection('FLOPs')).toBe('min');
    expect(withoutSeed({ seed: 1, a: { seed: 2, b: 3 } })).toEqual({ a: { b: 3 } });
  });
});

describe('csv', () => {
  it('quotes commas, quotes and newlines and parses them back', () => {
    const text = toCsv(
      ['a', 'b'],
      [
        ['x,y', 'say "hi"'],
        ['line\nbreak', null],
        [1.5, 2],
      ],
    );
    expect(text).toBe('a,b\n"x,y","say ""hi"""\n"line\nbreak",\n1.5,2\n');
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['x,y', 'say "hi"'],
      ['line\nbreak', ''],
      ['1.5', '2'],
    ]);
  });
});

describe('bundle path safety', () => {
  it('refuses traversal, absolute and odd paths', () => {
    expect(unsafePathReason('artifacts/a.ckpt')).toBeNull();
    expect(unsafePathReason('../a')).toMatch(/'\.\.'/);
    expect(unsafePathReason('artifacts/../../a')).toMatch(/'\.\.'/);
    expect(unsafePathReason('/etc/passwd')).toMatch(/absolute/);
    expect(unsafePathReason('C:/x')).toMatch(/absolute/);
    expect(unsafePathReason('a\\..\\b')).toMatch(/backslash/);
    expect(unsafePathReason('a//b')).toMatch(/empty/);
    expect(unsafePathReason('')).toMatch(/empty/);
    expect(resolveInside('/root/b', 'x/y')).toBe('/root/b/x/y');
    expect(resolveInside('/root/b', '../bb/x')).toBeNull();
  });
});
