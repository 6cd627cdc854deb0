import * as tf from '@tensorflow/tfjs';
import { gflops, type CaseResult, type Scenario } from '../scenario.js';
import { measure } from '../stats.js';

/** `SIZExCINxCOUTsSTRIDE[bBATCH]`, e.g. 64x32x32s1 or 32x64x128s2b2: a 3³ 'same' conv on a SIZE³ volume. */
export interface ConvCase {
  spec: string;
  size: number;
  inChannels: number;
  outChannels: number;
  stride: number;
  batch: number;
}

const CASE_PATTERN = /^(\d+)x(\d+)x(\d+)s(\d+)(?:b(\d+))?$/;

export function parseConvCase(spec: string): ConvCase {
  const m = CASE_PATTERN.exec(spec.trim());
  if (!m) throw new Error(`conv case '${spec}': expected SIZExCINxCOUTsSTRIDE[bBATCH], e.g. 64x32x32s1`);
  const [size, inChannels, outChannels, stride, batch] = [m[1], m[2], m[3], m[4], m[5] ?? '1'].map(Number);
  if ([size, inChannels, outChannels, stride, batch].some((v) => v < 1))
    throw new Error(`conv case '${spec}': every number must be ≥ 1`);
  return { spec, size, inChannels, outChannels, stride, batch };
}

type Shape5 = [number, number, number, number, number];

/** conv3d forward, input gradient and filter gradient at one shape, each through its tfjs kernel. */
async function runCase(c: ConvCase, ctx: Parameters<Scenario['run']>[1]): Promise<CaseResult[]> {
  const xShape: Shape5 = [c.batch, c.size, c.size, c.size, c.inChannels];
  const filterShape: Shape5 = [3, 3, 3, c.inChannels, c.outChannels];
  const strides: [number, number, number] = [c.stride, c.stride, c.stride];
  const x = tf.randomNormal(xShape, 0, 1, 'float32', 1) as tf.Tensor5D;
  const filter = tf.randomNormal(filterShape, 0, 0.1, 'float32', 2) as tf.Tensor5D;
  const yShape = tf.backend_util.computeConv3DInfo(xShape, filterShape, strides, 1, 'same').outShape;
  const dy = tf.randomNormal(yShape, 0, 1, 'float32', 3);
  const outVoxels = tf.util.sizeFromShape(yShape) / c.outChannels;
  const flops = 2 * outVoxels * c.outChannels * c.inChannels * 27;
  const ops: { op: string; run: () => tf.Tensor }[] = [
    { op: 'forward', run: () => tf.conv3d(x, filter, strides, 'same') },
    {
      op: 'input-grad',
      run: () =>
        tf
          .engine()
          .runKernel(
            'Conv3DBackpropInputV2',
            { dy, filter },
            { strides, pad: 'same', inputShape: xShape },
          ) as tf.Tensor,
    },
    {
      op: 'filter-grad',
      run: () =>
        tf
          .engine()
          .runKernel('Conv3DBackpropFilterV2', { x, dy }, { strides, pad: 'same', filterShape }) as tf.Tensor,
    },
  ];
  const results: CaseResult[] = [];
  try {
    for (const { op, run } of ops) {
      const timing = await measure(() => {
        const out = run();
        out.dataSync();
        out.dispose();
      }, ctx);
      const result = { case: c.spec, op, timing, flops, ...gflops(flops, timing) };
      ctx.log(
        `  conv ${c.spec} ${op}: ${timing.medianMs.toFixed(1)} ms, ${result.gflopsPerSecond.toFixed(1)} GFLOP/s, ${result.gflopsPerCpuSecond.toFixed(1)} GFLOP/s per busy core (n=${timing.samplesMs.length})`,
      );
      results.push(result);
    }
  } finally {
    tf.dispose([x, filter, dy]);
  }
  return results;
}

export const convScenario: Scenario = {
  name: 'conv',
  summary: 'conv3d 3³ forward, input gradient and filter gradient at 3D-UNet shapes (ms, GFLOP/s)',
  defaultCases: [
    '32x16x16s1',
    '32x64x64s1',
    '32x128x128s1',
    '32x64x128s2',
    '64x16x16s1',
    '64x32x64s1',
    '64x64x64s1',
    '64x32x64s2',
  ],
  cpuDefaultCases: ['32x16x16s1', '32x64x64s2', '64x16x16s1'],
  caseSyntax: 'SIZExCINxCOUTsSTRIDE[bBATCH], e.g. 64x32x32s1 (3³ kernel, same padding)',
  parseCase: parseConvCase,
  unavailable: async () => undefined,
  async run(specs, ctx) {
    const results: CaseResult[] = [];
    for (const spec of specs) results.push(...(await runCase(parseConvCase(spec), ctx)));
    return results;
  },
};
