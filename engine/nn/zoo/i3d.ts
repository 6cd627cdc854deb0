import type { NetDescription, Triple } from '../description.js';
import { NetBuilder, checkOptions, cube, padAll, widen, type NetOptions } from './builder.js';

/** Inception channels (b0, b1a, b1b, b2a, b2b, b3b) per mixed module (docs/method.md section 2). */
const MIXED: Record<string, [number, number, number, number, number, number]> = {
  Mixed_3b: [64, 96, 128, 16, 32, 32],
  Mixed_3c: [128, 128, 192, 32, 96, 64],
  Mixed_4b: [192, 96, 208, 16, 48, 64],
  Mixed_4c: [160, 112, 224, 24, 64, 64],
  Mixed_4d: [128, 128, 256, 24, 64, 64],
  Mixed_4e: [112, 144, 288, 32, 64, 64],
  Mixed_4f: [256, 160, 320, 32, 128, 128],
  Mixed_5b: [256, 160, 320, 32, 128, 128],
  Mixed_5c: [384, 192, 384, 48, 128, 128],
};

const BN_EPS = 1e-3;

/**
 * Conv3d without bias ('same' padding unless given) → BatchNorm3d (eps 0.001) → ReLU, the ReLU
 * applied as a function as in the reference's Unit3D (so the paper's memory count leaves it out).
 */
function unit(
  b: NetBuilder,
  prefix: string,
  input: string,
  inChannels: number,
  outChannels: number,
  kernel: Triple,
  stride: Triple = cube(1),
  padding: 'same' | number = 'same',
): string {
  const conv = b.conv(`${prefix}.conv`, input, {
    inChannels,
    outChannels,
    kernel,
    stride,
    padding: padding === 'same' ? 'same' : padAll(padding),
  });
  const bn = b.add('batchNorm3d', `${prefix}.bn`, [conv], { channels: outChannels, eps: BN_EPS });
  return b.add('relu', `${prefix}.relu`, [bn], {}, { functional: true });
}

function maxPool(b: NetBuilder, name: string, input: string, kernel: Triple, stride: Triple): string {
  return b.add('maxPool3d', name, [input], { kernel, stride, padding: 'same' });
}

/** Inception module: output concat [b0, b1b, b2b, b3b]. */
function mixed(
  b: NetBuilder,
  name: string,
  input: string,
  inChannels: number,
  channels: number[],
): { name: string; channels: number } {
  const [c0, c1a, c1b, c2a, c2b, c3b] = channels;
  const b0 = unit(b, `${name}.b0`, input, inChannels, c0, cube(1));
  const b1 = unit(
    b,
    `${name}.b1b`,
    unit(b, `${name}.b1a`, input, inChannels, c1a, cube(1)),
    c1a,
    c1b,
    cube(3),
  );
  const b2 = unit(
    b,
    `${name}.b2b`,
    unit(b, `${name}.b2a`, input, inChannels, c2a, cube(1)),
    c2a,
    c2b,
    cube(3),
  );
  const b3 = unit(
    b,
    `${name}.b3b`,
    maxPool(b, `${name}.b3a`, input, cube(3), cube(1)),
    inChannels,
    c3b,
    cube(1),
  );
  return { name: b.add('concat', `${name}.cat`, [b0, b1, b2, b3], {}), channels: c0 + c1b + c2b + c3b };
}

/**
 * I3D (Inception-v1 inflated to 3D) for UCF101, TF-style 'same' padding except the stem conv
 * (pads 3). The final (2,7,7) average pool is clamped to its input at sizes below 16×224²
 * (PoolAttrs.clampKernel); logits = 1³ conv with bias, then averaged over time and space
 * (a functional mean, not counted). 58 prunable layers.
 */
export function i3d(options: NetOptions = {}): NetDescription {
  const name = 'i3d';
  checkOptions(name, options);
  const width = options.width ?? 1;
  const w = (c: number) => widen(c, width);
  const inputChannels = options.inputChannels ?? 3;
  const classes = options.classes ?? 101;
  const b = new NetBuilder();
  let x = b.add('input', 'input', [], { channels: inputChannels });
  x = unit(b, 'Conv3d_1a_7x7', x, inputChannels, w(64), cube(7), cube(2), 3);
  x = maxPool(b, 'MaxPool3d_2a_3x3', x, [1, 3, 3], [1, 2, 2]);
  x = unit(b, 'Conv3d_2b_1x1', x, w(64), w(64), cube(1));
  x = unit(b, 'Conv3d_2c_3x3', x, w(64), w(192), cube(3));
  x = maxPool(b, 'MaxPool3d_3a_3x3', x, [1, 3, 3], [1, 2, 2]);
  let channels = w(192);
  const poolsBefore: Record<string, [string, Triple, Triple]> = {
    Mixed_4b: ['MaxPool3d_4a_3x3', cube(3), cube(2)],
    Mixed_5b: ['MaxPool3d_5a_2x2', cube(2), cube(2)],
  };
  for (const [module, moduleChannels] of Object.entries(MIXED)) {
    const pool = poolsBefore[module];
    if (pool) x = maxPool(b, pool[0], x, pool[1], pool[2]);
    ({ name: x, channels } = mixed(b, module, x, channels, moduleChannels.map(w)));
  }
  x = b.add('avgPool3d', 'AvgPool', [x], {
    kernel: [2, 7, 7],
    stride: cube(1),
    padding: padAll(0),
    clampKernel: true,
  });
  x = b.add('dropout', 'Dropout', [x], { rate: 0.5 });
  const logits = b.conv('Logits', x, {
    inChannels: channels,
    outChannels: classes,
    kernel: cube(1),
    padding: padAll(0),
    bias: true,
  });
  const mean = b.add('globalAvgPool', 'Logits.mean', [logits], {});
  return b.describe({
    name,
    task: 'ucf101',
    inputChannels,
    classes,
    inputSize: options.inputSize ?? [16, 224, 224],
    output: mean,
    classifier: logits,
    meta: { width },
  });
}
