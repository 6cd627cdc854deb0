import { randomInt, type Random } from '../../data/random.js';
import type { DecodedVideo } from './decode.js';

/** Per-channel RGB means subtracted from 0-255 pixel values (docs/method.md §3). */
export const UCF_MEAN: [number, number, number] = [114.7748, 107.7354, 99.475];
export const CLIP_FRAMES = 16;
/** Crop side as a fraction of the frame's shorter side (multi-scale corner crop). */
export const CROP_SCALES = [1, 0.841, 0.707, 0.595, 0.5];
export const CROP_POSITIONS = ['centre', 'topLeft', 'topRight', 'bottomLeft', 'bottomRight'] as const;

/** Frame indices of a clip starting at `start`; videos shorter than the clip loop. */
export function clipFrames(start: number, frames: number, length = CLIP_FRAMES): number[] {
  return Array.from({ length }, (_, t) => (start + t) % frames);
}

/** Evaluation clip starts: evenly spaced over the video, first at 0, last ending at the last frame. */
export function evalClipStart(clip: number, clips: number, frames: number, length = CLIP_FRAMES): number {
  const room = Math.max(0, frames - length);
  return clips > 1 ? Math.round((clip * room) / (clips - 1)) : Math.floor(room / 2);
}

/** A square region of the frame: top-left corner and side, in pixels. */
export interface CropSquare {
  x: number;
  y: number;
  side: number;
}

export function centreSquare(width: number, height: number): CropSquare {
  const side = Math.min(width, height);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), side };
}

export function cornerSquare(
  width: number,
  height: number,
  scale: number,
  position: (typeof CROP_POSITIONS)[number],
): CropSquare {
  const side = Math.max(1, Math.floor(Math.min(width, height) * scale));
  const right = width - side;
  const bottom = height - side;
  switch (position) {
    case 'centre':
      return { x: Math.floor(right / 2), y: Math.floor(bottom / 2), side };
    case 'topLeft':
      return { x: 0, y: 0, side };
    case 'topRight':
      return { x: right, y: 0, side };
    case 'bottomLeft':
      return { x: 0, y: bottom, side };
    case 'bottomRight':
      return { x: right, y: bottom, side };
  }
}

export interface ClipTransform {
  crop: CropSquare;
  flip: boolean;
}

/** Training augmentation: random scale and corner, horizontal flip with p = 0.5 (one draw per clip). */
export function randomClipTransform(width: number, height: number, random: Random): ClipTransform {
  const scale = CROP_SCALES[randomInt(random, CROP_SCALES.length)];
  const position = CROP_POSITIONS[randomInt(random, CROP_POSITIONS.length)];
  return { crop: cornerSquare(width, height, scale, position), flip: random() < 0.5 };
}

/**
 * The network input [T, size, size, 3]: each frame's crop resized bilinearly (pixel centres
 * aligned), optionally mirrored, minus UCF_MEAN.
 */
export function renderClip(
  video: DecodedVideo,
  frames: number[],
  transform: ClipTransform,
  size: number,
): Float32Array {
  const { width, height, rgb } = video;
  const { crop, flip } = transform;
  const out = new Float32Array(frames.length * size * size * 3);
  const step = crop.side / size;
  // Source coordinates and weights per output column/row, shared by all frames.
  const axis = (origin: number, limit: number) =>
    Array.from({ length: size }, (_, d) => {
      const s = Math.min(limit - 1, Math.max(0, origin + (d + 0.5) * step - 0.5));
      const low = Math.floor(s);
      return { low, high: Math.min(limit - 1, low + 1), weight: s - low };
    });
  const columns = axis(crop.x, width);
  const rows = axis(crop.y, height);
  let at = 0;
  for (const f of frames) {
    const base = f * width * height * 3;
    for (const row of rows) {
      for (let dx = 0; dx < size; dx++) {
        const col = columns[flip ? size - 1 - dx : dx];
        for (let c = 0; c < 3; c++) {
          const p = (y: number, x: number) => rgb[base + (y * width + x) * 3 + c];
          const top = p(row.low, col.low) * (1 - col.weight) + p(row.low, col.high) * col.weight;
          const bottom = p(row.high, col.low) * (1 - col.weight) + p(row.high, col.high) * col.weight;
          out[at++] = top * (1 - row.weight) + bottom * row.weight - UCF_MEAN[c];
        }
      }
    }
  }
  return out;
}
