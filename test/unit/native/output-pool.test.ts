import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  float32Output,
  installOutputPool,
  type PoolableBackend,
} from '../../../engine/backend/kernels/output-buffer.js';
import type { Disposable } from '../../../engine/util/disposable.js';

// Large enough for float32Output's unzeroed, poolable path (Buffer.poolSize bytes and up).
const N = 4096;

/** A tensor holding a fresh float32Output array filled with `value`, as a native kernel makes one. */
function output(value: number, length = N): { tensor: tf.Tensor; values: Float32Array } {
  const values = float32Output(length).fill(value);
  const backend = tf.backend() as unknown as {
    makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo;
  };
  const info = backend.makeTensorInfo([length], 'float32', values);
  return { tensor: tf.engine().makeTensorFromTensorInfo(info), values };
}

describe('output pool: freed kernel outputs reused only while no one else sees them', () => {
  let pool: Disposable;
  let backend: PoolableBackend;
  const originals: Partial<PoolableBackend> = {};

  beforeAll(async () => {
    await tf.setBackend('cpu');
    backend = tf.backend() as unknown as PoolableBackend;
    Object.assign(originals, {
      write: backend.write,
      move: backend.move,
      readSync: backend.readSync,
      disposeData: backend.disposeData,
    });
    pool = installOutputPool(backend);
  });
  afterAll(() => pool?.dispose());

  it('a disposed output is the next output of its length', () => {
    const a = output(1);
    a.tensor.dispose();
    const b = output(2);
    expect(b.values).toBe(a.values);
    expect(b.tensor.dataSync()[0]).toBe(2);
    b.tensor.dispose();
  });

  it('an output whose values were read (dataSync) is never reused: the read array keeps its values', () => {
    const a = output(3);
    const read = a.tensor.dataSync();
    a.tensor.dispose();
    const b = output(4);
    expect(b.values).not.toBe(a.values);
    expect(read[0]).toBe(3);
    b.tensor.dispose();
  });

  it('an output viewed by another tensor (JS Slice returns a subarray) is not reused while that view lives', () => {
    const a = output(5);
    const tail = tf.slice(a.tensor, [N / 2], [N / 2]);
    const viewed = tf.backend() as unknown as { data: { get(id: object): { values: Float32Array } } };
    expect(viewed.data.get(tail.dataId).values.buffer).toBe(a.values.buffer); // the case guarded against
    a.tensor.dispose();
    const b = output(6);
    expect(b.values).not.toBe(a.values);
    expect(tail.dataSync()[0]).toBe(5);
    tf.dispose([tail, b.tensor]);
  });

  it('an array stored in two tensors is not reused when one of them goes', () => {
    const a = output(7);
    const again = tf.tensor(a.values, [N]);
    a.tensor.dispose();
    const b = output(8);
    expect(b.values).not.toBe(a.values);
    expect(again.dataSync()[0]).toBe(7);
    tf.dispose([again, b.tensor]);
  });

  it('keeps no more than the outputs ever held at once plus half of that: a freed output past it is dropped', () => {
    // Peak so far: two N-length outputs held at once (the first test's and this one's are freed).
    const a = output(9, N);
    const b = output(10, N);
    tf.dispose([a.tensor, b.tensor]); // both kept: 0 held + 2N kept ≤ peak 2N
    const c = output(11, 3 * N); // fresh: 3N held, peak 3N (slack 1.5N), 2N kept
    c.tensor.dispose(); // 0 held + 2N kept + 3N = 5N > 3N + 1.5N: dropped
    const fresh = output(12, 3 * N);
    expect(fresh.values).not.toBe(c.values);
    const [d, e] = [output(13, N), output(14, N)];
    expect(d.values).not.toBe(e.values);
    for (const reused of [d.values, e.values]) expect([a.values, b.values]).toContain(reused);
    tf.dispose([fresh.tensor, d.tensor, e.tensor]); // peak now 5N (slack 2.5N): all kept, 5N ≤ 7.5N
    // Within the slack: held 0, kept 5N, and a freed 2N output makes 7N ≤ 7.5N, so it is kept…
    const f = output(15, 2 * N); // fresh (no 2N kept): held 2N + kept 5N = 7N
    f.tensor.dispose();
    const g = output(16, 2 * N);
    expect(g.values).toBe(f.values);
    // …but with a second 2N held, the first freed (held 2N + kept 5N + 2N = 9N > 7.5N) is dropped,
    // and then there is room for the other (0 + 5N + 2N = 7N).
    const h = output(17, 2 * N);
    tf.dispose([h.tensor, g.tensor]);
    const [i, j] = [output(18, 2 * N), output(19, 2 * N)];
    expect([i.values, j.values]).toContain(g.values);
    expect([i.values, j.values]).not.toContain(h.values);
    tf.dispose([i.tensor, j.tensor]);
  });

  it('dispose restores the backend', () => {
    pool.dispose();
    for (const [name, fn] of Object.entries(originals))
      expect(backend[name as keyof PoolableBackend]).toBe(fn);
    const a = output(15);
    a.tensor.dispose();
    expect(output(16).values).not.toBe(a.values);
    pool = installOutputPool(backend);
  });
});
