import { constants, gunzip, gunzipSync } from 'node:zlib';
import { DataError } from '../dataset.js';

/**
 * Bounded decompression of .nii.gz bytes. The first bytes are inflated alone (a sync flush, so the
 * truncated input is not an error) to read the header; the whole stream is then inflated with
 * zlib's maxOutputLength set to what that header promises, so a stream that inflates to more (a
 * gzip bomb, or a header that lies) stops as soon as it passes the limit instead of filling memory.
 * zlib, unlike a hand-rolled inflater, also checks the gzip CRC and length trailer.
 */

const GZIP_MAGIC = [0x1f, 0x8b];

/** The most a NIfTI file may decompress to: 1 GiB (a BraTS volume is 18 MB, a 512²×1000 int16 CT 0.5 GB). */
export const MAX_NIFTI_BYTES = 2 ** 30;

/**
 * Bytes a stream may hold past the voxel data the header describes before it counts as larger
 * than promised: writers rarely pad, but a little slack keeps such files readable.
 */
export const TRAILING_SLACK_BYTES = 2 ** 20;

/** Compressed bytes tried for the header; doubled while the inflated prefix is shorter than wanted. */
const PREFIX_BYTES = 4096;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** Inflates at least `wanted` bytes of the stream's start (fewer only when the stream is shorter). */
export function gunzipPrefix(bytes: Uint8Array, wanted: number, file: string): Uint8Array {
  for (let take = PREFIX_BYTES; ; take *= 2) {
    const input = bytes.subarray(0, Math.min(take, bytes.length));
    let out: Uint8Array;
    try {
      // A deflate block inflates at most ~1032×, so this prefix's output is bounded as well.
      out = gunzipSync(input, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (error) {
      throw damaged(file, error);
    }
    if (out.length >= wanted || input.length === bytes.length) return out;
  }
}

/**
 * Inflates the whole stream, refusing it as soon as the output passes `promised` bytes (plus
 * TRAILING_SLACK_BYTES); `promised` is what the file's header says it holds.
 */
export function gunzipBounded(bytes: Uint8Array, promised: number, file: string): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: promised + TRAILING_SLACK_BYTES });
  } catch (error) {
    throw inflateError(error, promised, file);
  }
}

/**
 * gunzipBounded on libuv's thread pool: the event loop stays free (a finished volume is sent while
 * others inflate) and several files inflate in parallel on as many cores.
 */
export function gunzipBoundedAsync(bytes: Uint8Array, promised: number, file: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    gunzip(bytes, { maxOutputLength: promised + TRAILING_SLACK_BYTES }, (error, out) =>
      error ? reject(inflateError(error, promised, file)) : resolve(out),
    ),
  );
}

function inflateError(error: unknown, promised: number, file: string): DataError {
  if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
    return new DataError(
      file,
      `the gzip stream decompresses to more than the ${promised} bytes its NIfTI header promises ` +
        `(stopped at ${promised + TRAILING_SLACK_BYTES} bytes); the file is damaged or not what its header says`,
    );
  }
  return damaged(file, error);
}

function damaged(file: string, error: unknown): DataError {
  return new DataError(
    file,
    `damaged gzip stream (${(error as Error).message}); the download may be incomplete`,
  );
}
