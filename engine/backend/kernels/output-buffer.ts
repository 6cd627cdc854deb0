import { Buffer } from 'node:buffer';

/**
 * A Float32Array of `length` for a kernel that writes every element. Large ones skip the zero fill
 * (Buffer.allocUnsafe, unpooled from Buffer.poolSize / 2 up, so the ArrayBuffer is theirs alone):
 * for the element-wise kernels that fill is a whole extra pass over memory. Small ones are ordinary
 * zeroed arrays.
 */
export function float32Output(length: number): Float32Array {
  const bytes = length * Float32Array.BYTES_PER_ELEMENT;
  if (bytes < Buffer.poolSize) return new Float32Array(length);
  const raw = Buffer.allocUnsafe(bytes);
  // Guards against a pooled slice should Buffer.poolSize change between the check and the call.
  const ownsBuffer = raw.byteOffset === 0 && raw.buffer.byteLength === bytes;
  return ownsBuffer ? new Float32Array(raw.buffer, 0, length) : new Float32Array(length);
}
