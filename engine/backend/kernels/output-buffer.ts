import { Buffer } from 'node:buffer';
import type * as tf from '@tensorflow/tfjs';
import { toDisposable, type Disposable } from '../../util/disposable.js';

/**
 * A Float32Array of `length` for a kernel that writes every element. Large ones skip the zero fill
 * (Buffer.allocUnsafe, unpooled from Buffer.poolSize / 2 up, so the ArrayBuffer is theirs alone):
 * for the element-wise kernels that fill is a whole extra pass over memory. Small ones are ordinary
 * zeroed arrays. Where the output pool is installed, a freed output of the same length is reused.
 */
export function float32Output(length: number): Float32Array {
  const bytes = length * Float32Array.BYTES_PER_ELEMENT;
  if (bytes < Buffer.poolSize) return new Float32Array(length);
  const reused = pool?.take(length);
  if (reused) return reused;
  const raw = Buffer.allocUnsafe(bytes);
  // Guards against a pooled slice should Buffer.poolSize change between the check and the call.
  const ownsBuffer = raw.byteOffset === 0 && raw.buffer.byteLength === bytes;
  const out = ownsBuffer ? new Float32Array(raw.buffer, 0, length) : new Float32Array(length);
  pool?.adopt(out);
  return out;
}

/** The part of tfjs's MathBackendCPU the pool wraps. */
export interface PoolableBackend {
  data: { get(dataId: object): { values?: unknown } | undefined; has(dataId: object): boolean };
  write(values: unknown, shape: number[], dtype: tf.DataType): object;
  move(dataId: object, values: unknown, shape: number[], dtype: tf.DataType, refCount: number): void;
  readSync(dataId: object): unknown;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * What the pool may keep beyond the outputs' high-water mark: half of it, at most 256 MiB. A step
 * frees sizes in another order than it asks for them, so with none a size freed while the pool was
 * full was dropped and allocated afresh later: 245 MB of fresh buffers per RANP-pruned 64³ U-Net
 * step (peak 401 MiB), ~20 collections; with this slack 47 MB (Buffer.allocUnsafe counted in a
 * scratch run, load 4 on 2 cores, the step 15–20% faster in runs alternated with the old rule).
 */
const POOL_SLACK = { fraction: 0.5, maxBytes: 256 * 2 ** 20 };

/**
 * Freed kernel outputs kept for the next output of the same length. Every ArrayBuffer the kernels
 * allocate counts as V8 external memory, and each 64 MiB of it starts a garbage collection: ~50 per
 * pruned 64³ U-Net step, a fifth of its time. A step allocates the same sizes each time, so reusing
 * its own freed buffers spares most of those collections. Outputs held by tensors plus outputs kept
 * stay within the most outputs tensors ever held at once plus a bounded slack (POOL_SLACK).
 *
 * A buffer is reused only while nothing outside its one tensor can see it: it leaves the pool for
 * good once its values are read out (readSync, which dataSync and data() return without copying),
 * moved, or stored a second time, whole or as a view (tfjs's JS Slice returns subarrays of its input).
 */
class OutputPool {
  private readonly free = new Map<number, Float32Array[]>();
  private freeBytes = 0;
  /** Arrays from float32Output by their ArrayBuffer, with whether a tensor holds them. */
  private readonly owned = new WeakMap<ArrayBufferLike, { array: Float32Array; stored: boolean }>();
  private readonly escaped = new WeakSet<Float32Array>();
  /** Bytes of float32Output arrays held by tensors now, and the most ever held at once. */
  private liveBytes = 0;
  private peakLiveBytes = 0;

  take(length: number): Float32Array | undefined {
    const array = this.free.get(length)?.pop();
    if (array) this.freeBytes -= array.byteLength;
    return array;
  }

  adopt(array: Float32Array): void {
    this.owned.set(array.buffer, { array, stored: false });
  }

  /** `values` is being stored as a tensor's data. */
  stored(values: unknown): void {
    const entry = this.entryOf(values);
    if (!entry) return;
    if (entry.array !== values || entry.stored) {
      this.escaped.add(entry.array);
      return;
    }
    entry.stored = true;
    this.liveBytes += entry.array.byteLength;
    this.peakLiveBytes = Math.max(this.peakLiveBytes, this.liveBytes);
  }

  /** `values` is being handed to code outside the kernels. */
  escape(values: unknown): void {
    const entry = this.entryOf(values);
    if (entry) this.escaped.add(entry.array);
  }

  /** The tensor holding `values` is gone. */
  released(values: unknown): void {
    const entry = this.entryOf(values);
    if (!entry || entry.array !== values || !entry.stored) return;
    const array = entry.array;
    entry.stored = false;
    this.liveBytes -= array.byteLength;
    if (this.escaped.has(array)) return;
    const slack = Math.min(this.peakLiveBytes * POOL_SLACK.fraction, POOL_SLACK.maxBytes);
    if (this.liveBytes + this.freeBytes + array.byteLength > this.peakLiveBytes + slack) return;
    const list = this.free.get(array.length);
    if (list) list.push(array);
    else this.free.set(array.length, [array]);
    this.freeBytes += array.byteLength;
  }

  clear(): void {
    this.free.clear();
    this.freeBytes = 0;
  }

  private entryOf(values: unknown) {
    return values instanceof Float32Array ? this.owned.get(values.buffer) : undefined;
  }
}

let pool: OutputPool | undefined;

/**
 * Reuses freed float32Output arrays on `backend` (the tfjs cpu backend the native kernels run on)
 * until disposed, which restores the backend's own methods.
 */
export function installOutputPool(backend: PoolableBackend): Disposable {
  if (pool) throw new Error('the native kernels output pool is already installed');
  const active = new OutputPool();
  pool = active;
  const { write, move, readSync, disposeData } = backend;
  backend.write = function (values, shape, dtype) {
    active.stored(values);
    return write.call(this, values, shape, dtype);
  };
  backend.move = function (dataId, values, shape, dtype, refCount) {
    active.escape(values);
    move.call(this, dataId, values, shape, dtype, refCount);
  };
  backend.readSync = function (dataId) {
    active.escape(this.data.get(dataId)?.values);
    return readSync.call(this, dataId);
  };
  backend.disposeData = function (dataId, force) {
    const values = this.data.get(dataId)?.values;
    const released = disposeData.call(this, dataId, force);
    if (values !== undefined && !this.data.has(dataId)) active.released(values);
    return released;
  };
  return toDisposable(() => {
    Object.assign(backend, { write, move, readSync, disposeData });
    active.clear();
    pool = undefined;
  });
}
