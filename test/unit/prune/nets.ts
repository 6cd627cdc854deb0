// Small hand-built nets for the prune tests (not a test file itself).
import type { NetDescription, Triple } from '../../../engine/nn/description.js';
import { NetBuilder, cube, padAll } from '../../../engine/nn/zoo/builder.js';

const k1 = { kernel: cube(1), padding: padAll(0) };

function describe(b: NetBuilder, name: string, inputSize: Triple = [2, 2, 2]): NetDescription {
  return b.describe({
    name,
    task: 'shapenet',
    inputChannels: 1,
    classes: 2,
    inputSize,
    output: 'head',
    classifier: 'head',
    meta: {},
  });
}

/** input(1) → a(2) → b(3); cat[a, b] (5) → head(2). U-Net style skip: skip first, then the deeper path. */
export function concatNet(): NetDescription {
  const b = new NetBuilder();
  b.add('input', 'input', [], { channels: 1 });
  b.conv('a', 'input', { inChannels: 1, outChannels: 2, ...k1 });
  b.add('relu', 'a.relu', ['a'], {});
  b.conv('b', 'a.relu', { inChannels: 2, outChannels: 3, ...k1 });
  b.add('batchNorm3d', 'b.bn', ['b'], { channels: 3, eps: 1e-5 });
  b.add('concat', 'cat', ['a.relu', 'b.bn'], {});
  b.conv('head', 'cat', { inChannels: 5, outChannels: 2, ...k1, bias: true });
  return describe(b, 'test-concat');
}

/** MobileNetV2-style: stem(3) → depthwise(3) → proj(3); add[stem, proj] → head(2). */
export function residualNet(): NetDescription {
  const b = new NetBuilder();
  b.add('input', 'input', [], { channels: 1 });
  b.conv('stem', 'input', { inChannels: 1, outChannels: 3, ...k1 });
  b.conv('dw', 'stem', { inChannels: 3, outChannels: 3, groups: 3, kernel: cube(3), padding: padAll(1) });
  b.add('batchNorm3d', 'dw.bn', ['dw'], { channels: 3, eps: 1e-5 });
  b.conv('proj', 'dw.bn', { inChannels: 3, outChannels: 3, ...k1 });
  b.add('add', 'sum', ['stem', 'proj'], {});
  b.conv('head', 'sum', { inChannels: 3, outChannels: 2, ...k1, bias: true });
  return describe(b, 'test-residual');
}

/** I3D-style inception: x(2) → b0(1), b1a(2)→b1b(2), b2a(1)→b2b(1), pool→b3b(1); cat (5) → head(2). */
export function inceptionNet(): NetDescription {
  const b = new NetBuilder();
  b.add('input', 'input', [], { channels: 1 });
  b.conv('x', 'input', { inChannels: 1, outChannels: 2, ...k1 });
  b.conv('b0', 'x', { inChannels: 2, outChannels: 1, ...k1 });
  b.conv('b1a', 'x', { inChannels: 2, outChannels: 2, ...k1 });
  b.conv('b1b', 'b1a', { inChannels: 2, outChannels: 2, kernel: cube(3), padding: padAll(1) });
  b.conv('b2a', 'x', { inChannels: 2, outChannels: 1, ...k1 });
  b.conv('b2b', 'b2a', { inChannels: 1, outChannels: 1, kernel: cube(3), padding: padAll(1) });
  b.add('maxPool3d', 'b3a', ['x'], { kernel: cube(3), stride: cube(1), padding: padAll(1) });
  b.conv('b3b', 'b3a', { inChannels: 2, outChannels: 1, ...k1 });
  b.add('concat', 'cat', ['b0', 'b1b', 'b2b', 'b3b'], {});
  b.conv('head', 'cat', { inChannels: 5, outChannels: 2, ...k1, bias: true });
  return describe(b, 'test-inception');
}

/** A selection mask from plain arrays. */
export function maskOf(entries: Record<string, number[]>): Map<string, Uint8Array> {
  return new Map(Object.entries(entries).map(([k, v]) => [k, Uint8Array.from(v)]));
}

export function arrays(mask: ReadonlyMap<string, Uint8Array>): Record<string, number[]> {
  return Object.fromEntries([...mask].map(([k, v]) => [k, [...v]]));
}
