import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { FileWriteError, describeFileSystemError } from '../util/atomic-write.js';
import {
  decodeTensorFile,
  littleEndianBytes,
  readValues,
  writeTensorFile,
  type TensorFileFormat,
} from '../util/tensor-file.js';

/**
 * Checkpoint file: one binary file, so a crash can never leave weights and optimizer state out of
 * step. The tensor-file container (engine/util/tensor-file.ts) with magic "RANPCKP1", data 8-byte
 * aligned: every tensor's little-endian data in header order. The header holds the caller's JSON
 * metadata and, per tensor, name, dtype, shape and byte offset. The container writes atomically
 * (temp file, fsync, rename), so a full disk or a kill mid-write leaves the previous checkpoint valid.
 * Tensors are read with `await data()` (a GPU backend in Node has no synchronous readback), all of
 * them before the first byte is written, so the write itself stays one synchronous atomic step.
 */

const FORMAT: TensorFileFormat = { magic: 'RANPCKP1', align: 8, what: 'RANP checkpoint' };

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
    const bytes = littleEndianBytes(data);
    entries.push({ name, dtype: t.dtype as StoredDtype, shape: t.shape, offset, bytes: bytes.byteLength });
    payloads.push(bytes);
    offset += bytes.byteLength;
  }
  try {
    writeTensorFile(path, FORMAT, { meta, tensors: entries } satisfies Header<M>, payloads);
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
  const decoded = decodeTensorFile(FORMAT, file, (problem): never => {
    throw new CheckpointError(path, problem);
  });
  const header = decoded.header as Header<M>;
  const { dataStart } = decoded;
  const tensors = new Map<string, tf.Tensor>();
  for (const e of header.tensors) {
    const start = dataStart + e.offset;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (e.bytes !== count * 4 || start + e.bytes > file.byteLength)
      throw new CheckpointError(path, `tensor '${e.name}' [${e.shape.join('x')}] does not fit the file`);
    tensors.set(e.name, tf.tensor(readValues(file, start, count, e.dtype), e.shape, e.dtype));
  }
  return { meta: header.meta, tensors };
}

export function removeCheckpoint(path: string): void {
  for (const p of [path, `${path}.tmp`]) if (existsSync(p)) unlinkSync(p);
}
