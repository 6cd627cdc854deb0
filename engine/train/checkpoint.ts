import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { FileWriteError, describeFileSystemError, writeFileAtomic } from '../util/atomic-write.js';

/**
 * Checkpoint file: one binary file, so a crash can never leave weights and optimizer state out of
 * step. Layout: 8-byte magic "RANPCKP1", uint32 LE header length, UTF-8 JSON header, zero padding to
 * a multiple of 8, then every tensor's little-endian data in header order. The header holds the
 * caller's JSON metadata and, per tensor, name, dtype, shape and byte offset.
 * Written to `<path>.tmp`, fsynced, then renamed over `<path>` (atomic on POSIX filesystems), so a
 * full disk or a kill mid-write leaves the previous checkpoint valid.
 * Tensors are read with `await data()` (a GPU backend in Node has no synchronous readback), all of
 * them before the first byte is written, so the write itself stays one synchronous atomic step.
 */

const MAGIC = 'RANPCKP1';

type StoredDtype = 'float32' | 'int32';

interface TensorEntry {
  name: string;
  dtype: StoredDtype;
  shape: number[];
  offset: number;
  bytes: number;
}

interface Header<M> {
  meta: M;
  tensors: TensorEntry[];
}

export interface CheckpointContents<M> {
  meta: M;
  /** Owned by the caller: dispose them. */
  tensors: Map<string, tf.Tensor>;
}

export class CheckpointError extends Error {
  constructor(
    readonly file: string,
    problem: string,
    cause?: unknown,
  ) {
    super(`checkpoint ${file}: ${problem}`, { cause });
    this.name = 'CheckpointError';
  }
}

/**
 * The caller must not change or dispose `tensors` until the returned promise settles; `meta` is
 * serialized after the tensors are read.
 */
export async function writeCheckpoint<M>(
  path: string,
  meta: M,
  tensors: ReadonlyMap<string, tf.Tensor>,
): Promise<void> {
  for (const [name, t] of tensors)
    if (t.dtype !== 'float32' && t.dtype !== 'int32')
      throw new CheckpointError(
        path,
        `tensor '${name}' has dtype ${t.dtype}; only float32 and int32 are stored`,
      );
  const values = await Promise.all([...tensors.values()].map((t) => t.data<'float32' | 'int32'>()));
  const entries: TensorEntry[] = [];
  const payloads: Uint8Array[] = [];
  let offset = 0;
  for (const [i, [name, t]] of [...tensors].entries()) {
    const data = values[i];
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    entries.push({ name, dtype: t.dtype as StoredDtype, shape: t.shape, offset, bytes: bytes.byteLength });
    payloads.push(bytes);
    offset += bytes.byteLength;
  }
  const headerJson = Buffer.from(JSON.stringify({ meta, tensors: entries } satisfies Header<M>), 'utf8');
  const prefix = Buffer.alloc(align8(12 + headerJson.byteLength));
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(headerJson.byteLength, 8);
  headerJson.copy(prefix, 12);

  try {
    writeFileAtomic(path, [prefix, ...payloads]);
  } catch (error) {
    if (!(error instanceof FileWriteError)) throw error;
    throw new CheckpointError(
      path,
      `not written: ${describeFileSystemError(error.cause)}; the previous checkpoint there, if any, is unchanged`,
      error,
    );
  }
}

export function readCheckpoint<M>(path: string): CheckpointContents<M> {
  const file = readFileSync(path);
  if (file.byteLength < 12 || file.toString('ascii', 0, 8) !== MAGIC)
    throw new CheckpointError(path, `not a RANP checkpoint (expected magic ${MAGIC})`);
  const headerLength = file.readUInt32LE(8);
  if (12 + headerLength > file.byteLength)
    throw new CheckpointError(path, 'header runs past the end of the file');
  let header: Header<M>;
  try {
    header = JSON.parse(file.toString('utf8', 12, 12 + headerLength)) as Header<M>;
  } catch (error) {
    throw new CheckpointError(path, `header is not JSON (${(error as Error).message})`);
  }
  const dataStart = align8(12 + headerLength);
  const tensors = new Map<string, tf.Tensor>();
  for (const e of header.tensors) {
    const start = dataStart + e.offset;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (e.bytes !== count * 4 || start + e.bytes > file.byteLength)
      throw new CheckpointError(path, `tensor '${e.name}' [${e.shape.join('x')}] does not fit the file`);
    // Copy into an aligned buffer: the file buffer's offset need not be a multiple of 4.
    const copy = new Uint8Array(e.bytes);
    copy.set(file.subarray(start, start + e.bytes));
    const values = e.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
    tensors.set(e.name, tf.tensor(values, e.shape, e.dtype));
  }
  return { meta: header.meta, tensors };
}

export function removeCheckpoint(path: string): void {
  for (const p of [path, `${path}.tmp`]) if (existsSync(p)) unlinkSync(p);
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
