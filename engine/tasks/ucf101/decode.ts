import { spawn } from 'node:child_process';
import { DataError } from '../../data/dataset.js';

/** Decoded RGB frames, frame after frame, each row-major (y, x) with 3 bytes per pixel. */
export interface DecodedVideo {
  frames: number;
  width: number;
  height: number;
  rgb: Uint8Array;
}

export interface DecodeOptions {
  /** Scale so the shorter side has this many pixels (aspect kept, even sizes); default: native size. */
  shortSide?: number;
  /** ffmpeg executable (default 'ffmpeg' on PATH; Debian package ffmpeg). */
  ffmpeg?: string;
}

function run(command: string, args: string[], file: string): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(
        new DataError(
          file,
          `cannot start ${command} (${error.message}); install it (Debian/Ubuntu: apt install ffmpeg)`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout: Buffer.concat(chunks), stderr });
      else reject(new DataError(file, `${command} could not decode it (exit ${code}): ${lastLine(stderr)}`));
    });
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() || 'no message';
}

export interface VideoProbe {
  width: number;
  height: number;
  /** Video packets counted by ffprobe (= frames for the intra/inter codecs of UCF101), without decoding. */
  frames: number;
}

/** Size and frame count of the first video stream, read by ffprobe. */
export async function probeVideo(
  file: string,
  options: Pick<DecodeOptions, 'ffmpeg'> = {},
): Promise<VideoProbe> {
  const { stdout } = await run(
    ffprobeOf(options),
    [
      '-v',
      'error',
      '-count_packets',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,nb_read_packets',
      '-of',
      'csv=p=0',
      file,
    ],
    file,
  );
  const [width, height, frames] = stdout.toString().trim().split(',').map(Number);
  if (!(width > 0 && height > 0)) throw new DataError(file, 'no video stream');
  return { width, height, frames };
}

function ffprobeOf(options: Pick<DecodeOptions, 'ffmpeg'>): string {
  return (options.ffmpeg ?? 'ffmpeg').replace(/ffmpeg$/, 'ffprobe');
}

/** Width and height of the first video stream, after the optional scaling. */
async function frameSize(file: string, options: DecodeOptions): Promise<[number, number]> {
  const { stdout } = await run(
    ffprobeOf(options),
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file],
    file,
  );
  const [width, height] = stdout.toString().trim().split(',').map(Number);
  if (!(width > 0 && height > 0)) throw new DataError(file, 'no video stream');
  if (!options.shortSide) return [width, height];
  const s = options.shortSide;
  // Same rounding as ffmpeg's scale=-2: the long side to the nearest even number.
  const even = (x: number) => 2 * Math.round(x / 2);
  return width <= height ? [s, even((height * s) / width)] : [even((width * s) / height), s];
}

/** Decodes every frame with an ffmpeg subprocess (`ffmpeg -i f -f rawvideo -pix_fmt rgb24 -`). */
export async function decodeVideo(file: string, options: DecodeOptions = {}): Promise<DecodedVideo> {
  const [width, height] = await frameSize(file, options);
  const scale = options.shortSide ? ['-vf', `scale=${width}:${height}:flags=area`] : [];
  const { stdout } = await run(
    options.ffmpeg ?? 'ffmpeg',
    ['-v', 'error', '-nostdin', '-i', file, ...scale, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    file,
  );
  const frameBytes = width * height * 3;
  const frames = Math.floor(stdout.length / frameBytes);
  if (frames === 0) throw new DataError(file, 'decoded to no frames');
  const rgb = new Uint8Array(stdout.buffer, stdout.byteOffset, frames * frameBytes);
  return { frames, width, height, rgb };
}
