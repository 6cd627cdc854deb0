import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeVideo, type DecodedVideo, type DecodeOptions } from './decode.js';

/**
 * Decoded frames on disk, so the second epoch reads instead of decoding. One gzip file per video
 * (fast level: gunzip costs far less than ffmpeg), keyed by path, size, mtime and frame size.
 * The last video is also kept in memory: evaluation reads its clips one after another.
 */
export class FrameCache {
  /** Decodes done by this cache (not served from disk); for tests and progress output. */
  decodes = 0;

  constructor(
    readonly dir: string | undefined,
    private readonly options: DecodeOptions = {},
  ) {}

  private last: { file: string; video: Promise<DecodedVideo> } | undefined;

  frames(file: string): Promise<DecodedVideo> {
    if (this.last?.file !== file) {
      const video = this.load(file);
      // A failed read is not remembered: the next call tries again (and reports again).
      video.catch(() => {
        if (this.last?.video === video) this.last = undefined;
      });
      this.last = { file, video };
    }
    return this.last.video;
  }

  private async load(file: string): Promise<DecodedVideo> {
    if (!this.dir) {
      this.decodes++;
      return decodeVideo(file, this.options);
    }
    const info = await stat(file);
    const key = createHash('sha1')
      .update(`${resolve(file)}|${info.size}|${info.mtimeMs}|${this.options.shortSide ?? 'native'}`)
      .digest('hex');
    const path = join(this.dir, `${key}.rgb.gz`);
    try {
      const bytes = gunzipSync(await readFile(path));
      const view = new DataView(bytes.buffer, bytes.byteOffset, 12);
      const [frames, width, height] = [
        view.getUint32(0, true),
        view.getUint32(4, true),
        view.getUint32(8, true),
      ];
      if (bytes.length === 12 + frames * width * height * 3)
        return { frames, width, height, rgb: bytes.subarray(12) };
    } catch {
      // Absent or damaged: decode again below.
    }
    this.decodes++;
    const video = await decodeVideo(file, this.options);
    const header = new Uint8Array(12);
    const view = new DataView(header.buffer);
    [video.frames, video.width, video.height].forEach((v, n) => view.setUint32(4 * n, v, true));
    await mkdir(this.dir, { recursive: true });
    // Write then rename, so a crash never leaves a half-written entry under the final name.
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, gzipSync(Buffer.concat([header, video.rgb]), { level: 1 }));
    await rename(partial, path);
    return video;
  }
}
