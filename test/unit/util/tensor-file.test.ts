import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWeightsFile, writeWeightsFile } from '../../../engine/nn/weights.js';
import { loadScores, saveScores } from '../../../engine/prune/scores-file.js';
import { readCheckpoint, writeCheckpoint } from '../../../engine/train/checkpoint.js';
import { FileWriteError } from '../../../engine/util/atomic-write.js';
import { useTempDirs } from '../store/temp.js';

const tempDir = useTempDirs();

/**
 * A file in the byte layout the three formats had before the shared container, built here by hand
 * (DataView, no engine code): magic, uint32 LE header length, the JSON (weights: space-padded inside
 * the length), zero padding up to `align`, then the values as 4-byte little-endian numbers.
 */
function oldLayout(
  magic: string,
  header: object,
  values: { kind: 'f32' | 'i32'; data: number[] }[],
  padding: { align: number; spacesInHeader: boolean },
): Buffer {
  let json = JSON.stringify(header);
  if (padding.spacesInHeader)
    json += ' '.repeat((padding.align - ((12 + json.length) % padding.align)) % padding.align);
  const dataStart = Math.ceil((12 + json.length) / padding.align) * padding.align;
  const count = values.reduce((n, v) => n + v.data.length, 0);
  const bytes = Buffer.alloc(dataStart + 4 * count);
  bytes.write(magic, 0, 'ascii');
  bytes.writeUInt32LE(json.length, 8);
  bytes.write(json, 12, 'ascii');
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  let at = dataStart;
  for (const { kind, data } of values)
    for (const v of data) {
      if (kind === 'f32') view.setFloat32(at, v, true);
      else view.setInt32(at, v, true);
      at += 4;
    }
  return bytes;
}

describe('the tensor-file container reads files in the old byte layouts unchanged', () => {
  it('weights (.ranpw, header padded with spaces)', async () => {
    const file = join(tempDir(), 'old.ranpw');
    const header = {
      format: 'ranp-weights',
      version: 1,
      net: 'tiny',
      tensors: [
        { name: 'a.weight', shape: [2, 3], dtype: 'float32', offset: 0, byteLength: 24 },
        { name: 'a.bias', shape: [3], dtype: 'float32', offset: 24, byteLength: 12 },
      ],
    };
    const bytes = oldLayout(
      'RANPWGT1',
      header,
      [{ kind: 'f32', data: [1, -2, 3.5, 4, 5, 6, 0.25, -0.5, 7] }],
      {
        align: 4,
        spacesInHeader: true,
      },
    );
    expect((bytes.readUInt32LE(8) + 12) % 4).toBe(0); // the padding really is inside the header
    writeFileSync(file, bytes);
    const { net, weights } = await readWeightsFile(file);
    expect(net).toBe('tiny');
    expect(weights.get('a.weight')).toEqual({ shape: [2, 3], values: Float32Array.of(1, -2, 3.5, 4, 5, 6) });
    expect(weights.get('a.bias')).toEqual({ shape: [3], values: Float32Array.of(0.25, -0.5, 7) });
  });

  it('scores (.ranpscores, zero padding to 4)', () => {
    const file = join(tempDir(), 'old.ranpscores');
    const header = {
      format: 'ranp-scores',
      version: 1,
      net: 'unet3d-brats',
      task: 'brats',
      samples: 2,
      inputSize: [16, 16, 16],
      source: 'samples',
      layers: [{ name: 'enc0.1.conv', shape: [1, 1, 1, 1, 3], outAxis: 4, offset: 0, length: 3 }],
    };
    const bytes = oldLayout('RANPSCR1', header, [{ kind: 'f32', data: [0.5, 0, 2] }], {
      align: 4,
      spacesInHeader: false,
    });
    writeFileSync(file, bytes);
    const scores = loadScores(file);
    expect(scores).toMatchObject({ net: 'unet3d-brats', task: 'brats', samples: 2, inputSize: [16, 16, 16] });
    expect(scores.layers.get('enc0.1.conv')).toEqual({
      shape: [1, 1, 1, 1, 3],
      outAxis: 4,
      values: Float32Array.of(0.5, 0, 2),
    });
  });

  it('checkpoints (zero padding to 8, float32 and int32 tensors)', () => {
    const file = join(tempDir(), 'old.ckpt');
    const header = {
      meta: { epoch: 3 },
      tensors: [
        { name: 'w', dtype: 'float32', shape: [2], offset: 0, bytes: 8 },
        { name: 'step', dtype: 'int32', shape: [1], offset: 8, bytes: 4 },
      ],
    };
    const bytes = oldLayout(
      'RANPCKP1',
      header,
      [
        { kind: 'f32', data: [1.5, -3] },
        { kind: 'i32', data: [-7] },
      ],
      { align: 8, spacesInHeader: false },
    );
    writeFileSync(file, bytes);
    const { meta, tensors } = readCheckpoint<{ epoch: number }>(file);
    expect(meta).toEqual({ epoch: 3 });
    expect(tensors.get('w')!.dataSync()).toEqual(Float32Array.of(1.5, -3));
    expect(tensors.get('step')!.dtype).toBe('int32');
    expect(tensors.get('step')!.dataSync()).toEqual(Int32Array.of(-7));
    tf.dispose([...tensors.values()]);
  });
});

describe('files written through the container', () => {
  it('put the data at the aligned start the old readers computed, and leave no temp file', async () => {
    const dir = tempDir();
    const values = Float32Array.of(1, 2, 3);
    await writeWeightsFile(join(dir, 'w.ranpw'), 'tiny', new Map([['a', { shape: [3], values }]]));
    const bytes = readFileSync(join(dir, 'w.ranpw'));
    const dataStart = Math.ceil((12 + bytes.readUInt32LE(8)) / 4) * 4;
    expect(bytes.length).toBe(dataStart + 12);
    expect([0, 1, 2].map((i) => bytes.readFloatLE(dataStart + 4 * i))).toEqual([1, 2, 3]);

    const w = tf.tensor1d([4, 5]);
    await writeCheckpoint(join(dir, 'c.ckpt'), { epoch: 1 }, new Map([['w', w]]));
    w.dispose();
    const ckpt = readFileSync(join(dir, 'c.ckpt'));
    const ckptStart = Math.ceil((12 + ckpt.readUInt32LE(8)) / 8) * 8;
    expect([ckpt.readFloatLE(ckptStart), ckpt.readFloatLE(ckptStart + 4)]).toEqual([4, 5]);
    expect(readdirSync(dir).sort()).toEqual(['c.ckpt', 'w.ranpw']);
  });

  it('scores and weights are written atomically: a failed write leaves the earlier file whole', async () => {
    const dir = tempDir();
    const file = join(dir, 's.ranpscores');
    const scores = {
      net: 'n',
      task: 'brats' as const,
      samples: 1,
      inputSize: [8, 8, 8] as [number, number, number],
      source: 'test',
      layers: new Map([['l', { shape: [2], outAxis: 0, values: Float32Array.of(1, 2) }]]),
    };
    saveScores(file, scores);
    const before = readFileSync(file);
    // The temp file's place is taken by a folder: the write fails before the rename.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(`${file}.tmp`);
    expect(() => saveScores(file, { ...scores, samples: 2 })).toThrow(FileWriteError);
    expect(readFileSync(file)).toEqual(before);
    mkdirSync(join(dir, 'w.ranpw.tmp'));
    await expect(
      writeWeightsFile(
        join(dir, 'w.ranpw'),
        'n',
        new Map([['a', { shape: [1], values: Float32Array.of(1) }]]),
      ),
    ).rejects.toThrow(FileWriteError);
    expect(existsSync(join(dir, 'w.ranpw'))).toBe(false);
  });
});
