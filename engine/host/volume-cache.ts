import type { NiftiImage } from '../data/index.js';
import type { Disposable } from '../util/disposable.js';

/**
 * Decoded NIfTI images the viewer asked for, so opening a case again (another pairing, back to a case,
 * the remaining modalities after the shown one) skips reading and inflating. Least recently used images
 * go first once the voxels held pass `maxBytes`. Keys name the content: a dataset file's path with its
 * size and modification time, a stored artifact's sha256. Concurrent requests for one key share a load.
 */
export class VolumeCache implements Disposable {
  private readonly entries = new Map<string, { image: Promise<NiftiImage>; bytes: number }>();
  private held = 0;

  constructor(readonly maxBytes = DEFAULT_VOLUME_CACHE_BYTES) {}

  get(key: string, load: () => Promise<NiftiImage>): Promise<NiftiImage> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit.image;
    }
    const entry = { image: load(), bytes: 0 };
    this.entries.set(key, entry);
    entry.image.then(
      (image) => {
        if (this.entries.get(key) !== entry) return;
        entry.bytes = image.data.byteLength;
        this.held += entry.bytes;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.image;
  }

  /** Bytes of voxels held now. */
  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.held <= this.maxBytes) return;
      if (entry.bytes === 0) continue; // still loading
      this.entries.delete(key);
      this.held -= entry.bytes;
    }
  }

  dispose(): void {
    this.entries.clear();
    this.held = 0;
  }
}

/** 512 MiB: five BraTS cases (4 × 240×240×155 int16 modalities + 3 uint8 label maps ≈ 98 MB each). */
export const DEFAULT_VOLUME_CACHE_BYTES = 512 * 2 ** 20;
