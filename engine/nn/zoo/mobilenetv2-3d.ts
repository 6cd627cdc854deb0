import type { NetDescription, Triple } from '../description.js';
import { NetBuilder, checkOptions, cube, padAll, widen, type NetOptions } from './builder.js';

/** Inverted residual settings (expansion t, channels c, repeats n, first stride s) of MobileNetV2. */
const BLOCKS: [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** Conv (padding k//2, no bias) → BatchNorm3d → optional ReLU6. */
function convBn(
  b: NetBuilder,
  prefix: string,
  input: string,
  inChannels: number,
  outChannels: number,
  kernel: number,
  stride: Triple,
  groups: number,
  relu6: boolean,
): string {
  const conv = b.conv(`${prefix}.conv`, input, {
    inChannels,
    outChannels,
    kernel: cube(kernel),
    stride,
    padding: padAll(Math.floor(kernel / 2)),
    groups,
  });
  const bn = b.add('batchNorm3d', `${prefix}.bn`, [conv], { channels: outChannels, eps: 1e-5 });
  return relu6 ? b.add('relu6', `${prefix}.relu6`, [bn], {}) : bn;
}

/**
 * MobileNetV2-3D for UCF101 (Efficient-3DCNNs): stem 3³ conv stride (1,2,2), inverted residual
 * blocks (1×1 expand when t > 1 → depthwise 3³ → 1×1 linear projection; residual iff stride 1 and
 * in == out), 1×1 conv to 1280, global average pool, dropout 0.2, linear. 53 prunable layers.
 */
export function mobilenetV2_3d(options: NetOptions = {}): NetDescription {
  const name = 'mobilenetv2-3d';
  checkOptions(name, options);
  const width = options.width ?? 1;
  const inputChannels = options.inputChannels ?? 3;
  const classes = options.classes ?? 101;
  const b = new NetBuilder();
  let x = b.add('input', 'input', [], { channels: inputChannels });
  let channels = widen(32, width);
  x = convBn(b, 'stem', x, inputChannels, channels, 3, [1, 2, 2], 1, true);
  let index = 0;
  for (const [t, c, n, s] of BLOCKS) {
    const out = widen(c, width);
    for (let i = 0; i < n; i++, index++) {
      const stride = cube(i === 0 ? s : 1);
      const prefix = `block${index}`;
      const hidden = Math.round(channels * t);
      const expanded = t === 1 ? x : convBn(b, `${prefix}.expand`, x, channels, hidden, 1, cube(1), 1, true);
      const depthwise = convBn(b, `${prefix}.dw`, expanded, hidden, hidden, 3, stride, hidden, true);
      const projected = convBn(b, `${prefix}.project`, depthwise, hidden, out, 1, cube(1), 1, false);
      x = stride[0] === 1 && channels === out ? b.add('add', `${prefix}.add`, [x, projected], {}) : projected;
      channels = out;
    }
  }
  // The reference keeps 1280 features unless the net is widened.
  const last = width > 1 ? widen(1280, width) : 1280;
  x = convBn(b, 'head', x, channels, last, 1, cube(1), 1, true);
  x = b.add('globalAvgPool', 'pool', [x], {});
  x = b.add('dropout', 'dropout', [x], { rate: 0.2 });
  const logits = b.add('linear', 'classifier', [x], { inFeatures: last, outFeatures: classes, bias: true });
  return b.describe({
    name,
    task: 'ucf101',
    inputChannels,
    classes,
    inputSize: options.inputSize ?? [16, 112, 112],
    output: logits,
    classifier: logits,
    meta: { width },
  });
}
