import { describe, expect, it } from 'vitest';
import { kernelBreakdown } from '../../../bench/profile.js';
import { measure, median, summarize } from '../../../bench/stats.js';
import { parseConvCase } from '../../../bench/scenarios/conv.js';
import { parseStepCase } from '../../../bench/scenarios/step.js';
import { formatResultsTable } from '../../../bench/table.js';

describe('bench statistics', () => {
  it('median of odd and even counts, by hand', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('summarize: min, max and relative spread (max − min) / median', () => {
    const t = summarize([10, 12, 11], [5, 6, 5], [30]);
    expect([t.medianMs, t.minMs, t.maxMs, t.medianCpuMs]).toEqual([11, 10, 12, 5]);
    expect(t.relativeSpread).toBeCloseTo(2 / 11, 12);
    expect(t.warmupOnly).toBe(false);
  });

  it('measure: warm-up runs are excluded; reps shrink to the budget; an over-budget warm-up is the only sample', async () => {
    let calls = 0;
    const fast = await measure(() => void calls++, { reps: 4, warmup: 2, budgetSeconds: 10 });
    expect(calls).toBe(6);
    expect(fast.samplesMs).toHaveLength(4);
    expect(fast.warmupMs).toHaveLength(2);
    const slowRun = () => new Promise<void>((resolve) => setTimeout(resolve, 30));
    const slow = await measure(slowRun, { reps: 5, warmup: 1, budgetSeconds: 0.02 });
    expect(slow.warmupOnly).toBe(true);
    expect(slow.samplesMs).toEqual([slow.warmupMs[0]]);
  });
});

describe('bench cases and reports', () => {
  it('parses conv cases and names the syntax on error', () => {
    expect(parseConvCase('64x32x16s2b2')).toEqual({
      spec: '64x32x16s2b2',
      size: 64,
      inChannels: 32,
      outChannels: 16,
      stride: 2,
      batch: 2,
    });
    expect(parseConvCase('32x16x16s1').batch).toBe(1);
    expect(() => parseConvCase('64x32s1')).toThrow(/SIZExCINxCOUTsSTRIDE/);
  });

  it('kernel breakdown: conv share of kernel time and the heaviest other kernels', () => {
    const b = kernelBreakdown([
      { name: 'Conv3D', kernelTimeMs: 30 },
      { name: 'Conv3DBackpropFilterV2', kernelTimeMs: 10 },
      { name: 'Multiply', kernelTimeMs: 40 },
      { name: 'Multiply', kernelTimeMs: 15 },
      { name: 'Relu', kernelTimeMs: 5 },
      { name: 'Sum', kernelTimeMs: { error: 'no timer' } },
    ]);
    expect(b).toEqual({
      kernelMs: 100,
      convKernelMs: 40,
      convShare: 0.4,
      topOtherKernels: 'Multiply 55 ms, Relu 5 ms, Sum 0 ms',
    });
  });

  it('table: speedup over cpu is cpu time / backend time for the same row', () => {
    const timing = (ms: number) => summarize([ms], [ms], []);
    const results = (ms: number) => [{ case: '32x16x16s1', op: 'forward', timing: timing(ms) }];
    const base = { scenario: 'conv', backendReport: null, maxRssMiB: 100, threads: null };
    const table = formatResultsTable([
      { ...base, backend: 'native', results: results(20) },
      { ...base, backend: 'cpu', results: results(1000) },
    ]);
    expect(table).toMatch(/native vs cpu/);
    expect(table).toMatch(/conv {2}32x16x16s1 {2}forward .*20\.0 ms .*1\.00 s .*50\.0×/);
  });
});

describe('step bench cases', () => {
  it('reads [NET:]SIZEbBATCH with a cube or a D×H×W size, default net the ShapeNet 3D-UNet', () => {
    expect(parseStepCase('64b4')).toEqual({
      spec: '64b4',
      net: 'unet3d-shapenet',
      size: [64, 64, 64],
      batch: 4,
      checkpoint: false,
    });
    expect(parseStepCase('unet3d-brats:128b1+checkpoint')).toMatchObject({
      net: 'unet3d-brats',
      batch: 1,
      checkpoint: true,
    });
    expect(parseStepCase('unet3d-brats:128b1')).toMatchObject({
      net: 'unet3d-brats',
      size: [128, 128, 128],
      batch: 1,
    });
    expect(parseStepCase('i3d:16x224x224b2')).toMatchObject({ net: 'i3d', size: [16, 224, 224], batch: 2 });
  });

  it('names what is wrong with a bad case', () => {
    expect(() => parseStepCase('64')).toThrow(/expected \[NET:\]SIZEbBATCH/);
    expect(() => parseStepCase('64b0')).toThrow(/expected \[NET:\]SIZEbBATCH/);
    expect(() => parseStepCase('resnet:64b1')).toThrow(/unknown net 'resnet' \(known: unet3d-shapenet/);
  });
});
