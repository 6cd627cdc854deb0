import { describe, expect, it } from 'vitest';
import type { LayerNode, NetDescription, Triple } from '../../../engine/nn/description.js';
import { InputSizeError } from '../../../engine/nn/input-sizes.js';
import { inferShapes } from '../../../engine/nn/shapes.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';

// The sizes a net takes, as its shape errors state them, against sizes worked out by hand from
// each net's windows (floor((n + padding − kernel) / stride) + 1 ≥ 1 at every layer).

function thrown(net: NetDescription, size: Triple): Error {
  try {
    inferShapes(net, size);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${net.name} took ${size.join('×')}`);
}

const zero: [number, number] = [0, 0];
const window = (kernel: number, stride: number) => ({
  kernel: [kernel, kernel, kernel] as Triple,
  stride: [stride, stride, stride] as Triple,
  padding: [zero, zero, zero] as [[number, number], [number, number], [number, number]],
});

function net(name: string, nodes: LayerNode[]): NetDescription {
  const output = nodes.at(-1)!.name;
  return {
    format: 'ranp-net',
    version: 1,
    name,
    task: 'brats',
    inputChannels: 2,
    classes: 2,
    inputSize: [8, 8, 8],
    nodes: [{ name: 'input', kind: 'input', inputs: [], attrs: { channels: 2 } }, ...nodes],
    output,
    classifier: output,
    meta: {},
  };
}

describe('input sizes a net cannot take', () => {
  // Three max-pools k2 s2 without padding (enc1..enc3), 3×3×3 convs padded by 1, upsampling to the
  // skip's size: the deepest level has floor(floor(floor(n/2)/2)/2) ≥ 1 voxels, i.e. n ≥ 8.
  it.each(['unet3d-shapenet', 'unet3d-brats'])('%s: 8 or more along each axis', (name) => {
    const unet = buildNet(name, { width: 0.25 });
    for (const n of [8, 9, 12, 13, 20]) expect(() => inferShapes(unet, [n, n, n])).not.toThrow();
    const error = thrown(unet, [7, 7, 7]);
    expect(error).toBeInstanceOf(InputSizeError);
    expect(error.message).toBe(
      `net '${name}' cannot take input 7×7×7: layer 'enc3.pool': kernel 2×2×2 is larger than its padded ` +
        'input 1×1×1 (input 1×1×1). Along each axis it takes 8 or more; the nearest that works: 8.',
    );
    // 3 → 1 at enc2.pool already; only the axes that fail are named.
    expect(thrown(unet, [3, 16, 5]).message).toBe(
      `net '${name}' cannot take input 3×16×5: layer 'enc2.pool': kernel 2×2×2 is larger than its padded ` +
        'input 1×8×2 (input 1×8×2). Along depth (3) it takes 8 or more; the nearest that works: 8. ' +
        'Along width (5) it takes 8 or more; the nearest that works: 8.',
    );
  });

  it('mobilenetv2-3d and i3d take every size (same padding, kernels clamped to the input)', () => {
    for (const name of ['mobilenetv2-3d', 'i3d'])
      for (const size of [
        [1, 1, 1],
        [3, 7, 5],
        [16, 112, 112],
      ] as Triple[])
        expect(() => inferShapes(buildNet(name, { width: 0.25 }), size)).not.toThrow();
  });

  it('pool k2 s2, upsample ×2, add to the input: only even sizes, the nearest below and above', () => {
    const evenOnly = net('even', [
      { name: 'pool', kind: 'maxPool3d', inputs: ['input'], attrs: window(2, 2) },
      { name: 'up', kind: 'upsampleNearest3d', inputs: ['pool'], attrs: { mode: 'scale', scale: [2, 2, 2] } },
      { name: 'sum', kind: 'add', inputs: ['input', 'up'], attrs: {} },
    ]);
    expect(() => inferShapes(evenOnly, [10, 2, 64])).not.toThrow();
    const message = thrown(evenOnly, [9, 8, 8]).message;
    expect(message).toMatch(/^net 'even' cannot take input 9×8×8: layer 'sum': /);
    expect(message).toMatch(
      /\. Along depth \(9\) it takes multiples of 2; the nearest that work: 8 and 10\.$/,
    );
  });

  it('conv k5 unpadded, then pool k3 s3: n − 4 ≥ 3, so 7 or more', () => {
    const conv: LayerNode = {
      name: 'conv',
      kind: 'conv3d',
      inputs: ['input'],
      attrs: { inChannels: 2, outChannels: 2, groups: 1, bias: false, ...window(5, 1) },
    };
    const valid = net('valid', [
      conv,
      { name: 'pool', kind: 'avgPool3d', inputs: ['conv'], attrs: window(3, 3) },
    ]);
    expect(() => inferShapes(valid, [7, 7, 7])).not.toThrow();
    expect(thrown(valid, [6, 6, 6]).message).toMatch(
      /^net 'valid' cannot take input 6×6×6: layer 'pool': .*\. Along each axis it takes 7 or more; the nearest that works: 7\.$/,
    );
  });

  it('a net that fits no size keeps its plain layer error', () => {
    const broken = net('broken', [
      { name: 'pool', kind: 'maxPool3d', inputs: ['input'], attrs: window(2, 2) },
      { name: 'sum', kind: 'add', inputs: ['input', 'pool'], attrs: {} },
    ]);
    const error = thrown(broken, [8, 8, 8]);
    expect(error).not.toBeInstanceOf(InputSizeError);
    expect(error.message).toMatch(/^layer 'sum': /);
  });
});
