import type { NetDescription, TaskName } from '../description.js';
import { NetBuilder, checkOptions, cube, padAll, widen, type NetOptions } from './builder.js';

/** What differs between the two 3D-UNet configurations (docs/method.md section 2). */
export interface UNet3dConfig {
  name: string;
  task: TaskName;
  inputChannels: number;
  classes: number;
  /** Feature maps of level 0; levels are [f, 2f, 4f, 8f]. */
  baseFeatures: number;
  inputSize: number;
  /** ShapeNet applies a softmax at evaluation (counted in resources), BraTS does not. */
  evaluationSoftmax: boolean;
}

const LEVELS = 4;

/** Conv3d k3 pad 1 without bias → BatchNorm3d → ReLU. */
function convBlockUnit(
  b: NetBuilder,
  prefix: string,
  input: string,
  inChannels: number,
  outChannels: number,
): string {
  const conv = b.conv(`${prefix}.conv`, input, {
    inChannels,
    outChannels,
    kernel: cube(3),
    padding: padAll(1),
  });
  const bn = b.add('batchNorm3d', `${prefix}.bn`, [conv], { channels: outChannels, eps: 1e-5 });
  return b.add('relu', `${prefix}.relu`, [bn], {});
}

/**
 * 3D-UNet: 4 encoder levels (max-pool 2 before levels > 0; conv1 out = max(out/2, in), conv2 out),
 * 3 decoder levels (nearest upsampling to the skip's size, concat [skip, x], two convs), final
 * 1×1×1 conv with bias. 15 prunable convs.
 */
export function unet3d(config: UNet3dConfig, options: NetOptions = {}): NetDescription {
  checkOptions(config.name, options);
  const width = options.width ?? 1;
  const inputChannels = options.inputChannels ?? config.inputChannels;
  const classes = options.classes ?? config.classes;
  const features = Array.from({ length: LEVELS }, (_, i) => widen(config.baseFeatures * 2 ** i, width));
  const b = new NetBuilder();
  let x = b.add('input', 'input', [], { channels: inputChannels });
  let channels = inputChannels;
  const skips: { name: string; channels: number }[] = [];
  for (let level = 0; level < LEVELS; level++) {
    if (level > 0)
      x = b.add('maxPool3d', `enc${level}.pool`, [x], {
        kernel: cube(2),
        stride: cube(2),
        padding: padAll(0),
      });
    const out = features[level];
    const mid = Math.max(Math.floor(out / 2), channels);
    x = convBlockUnit(b, `enc${level}.1`, x, channels, mid);
    x = convBlockUnit(b, `enc${level}.2`, x, mid, out);
    channels = out;
    skips.push({ name: x, channels });
  }
  for (let level = LEVELS - 2; level >= 0; level--) {
    const skip = skips[level];
    const up = b.add('upsampleNearest3d', `dec${level}.up`, [x, skip.name], { mode: 'matchSecondInput' });
    const cat = b.add('concat', `dec${level}.cat`, [skip.name, up], {});
    const out = features[level];
    x = convBlockUnit(b, `dec${level}.1`, cat, skip.channels + channels, out);
    x = convBlockUnit(b, `dec${level}.2`, x, out, out);
    channels = out;
  }
  const logits = b.conv('final', x, {
    inChannels: channels,
    outChannels: classes,
    kernel: cube(1),
    padding: padAll(0),
    bias: true,
  });
  if (config.evaluationSoftmax) b.add('softmax', 'softmax', [logits], {});
  return b.describe({
    name: config.name,
    task: config.task,
    inputChannels,
    classes,
    inputSize: options.inputSize ?? cube(config.inputSize),
    output: logits,
    classifier: logits,
    meta: { width, baseFeatures: features[0] },
  });
}

export const UNET3D_SHAPENET: UNet3dConfig = {
  name: 'unet3d-shapenet',
  task: 'shapenet',
  inputChannels: 1,
  classes: 50,
  baseFeatures: 64,
  inputSize: 64,
  evaluationSoftmax: true,
};

export const UNET3D_BRATS: UNet3dConfig = {
  name: 'unet3d-brats',
  task: 'brats',
  inputChannels: 4,
  classes: 5,
  baseFeatures: 32,
  inputSize: 128,
  evaluationSoftmax: false,
};
