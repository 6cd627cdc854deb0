import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/dataset.js';
import { checkDataset, openDataset } from '../../../engine/tasks/datasets.js';
import {
  clipFrames,
  cornerSquare,
  decodeVideo,
  evalClipStart,
  FrameCache,
  renderClip,
  UCF_MEAN,
  type DecodedVideo,
} from '../../../engine/tasks/ucf101/index.js';

const REALSHORT = join(import.meta.dirname, '../../fixtures/debian/imageio/realshort.mp4');
let root: string;

function ffmpeg(args: string[]): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { maxBuffer: 64 << 20 });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ranp-ucf-'));
  const videos = join(root, 'UCF-101');
  for (const [name, filter] of [
    ['Plain', 'null'],
    ['Flipped', 'vflip'],
  ]) {
    await mkdir(join(videos, name), { recursive: true });
    for (const group of ['g01', 'g08']) {
      ffmpeg([
        '-i',
        REALSHORT,
        '-vf',
        `trim=end_frame=20,scale=64:48,${filter}`,
        '-an',
        '-c:v',
        'mpeg4',
        join(videos, name, `v_${name}_${group}_c01.avi`),
      ]);
    }
  }
  await writeFile(join(videos, 'Plain', 'v_Plain_g09_c01.avi'), 'this is not a video');
  await mkdir(join(root, 'ucfTrainTestlist'));
  await writeFile(join(root, 'ucfTrainTestlist', 'classInd.txt'), '1 Plain\n2 Flipped\n');
  await writeFile(
    join(root, 'ucfTrainTestlist', 'trainlist01.txt'),
    'Plain/v_Plain_g08_c01.avi 1\nFlipped/v_Flipped_g08_c01.avi 2\nPlain/v_Plain_g09_c01.avi 1\n',
  );
  await writeFile(
    join(root, 'ucfTrainTestlist', 'testlist01.txt'),
    'Plain/v_Plain_g01_c01.avi\nFlipped/v_Flipped_g01_c01.avi\n',
  );
});

describe('decodeVideo (ffmpeg subprocess) on the real imageio video', () => {
  it('gives the frame count and size ffprobe reports, and the bytes ffmpeg gives for one frame', async () => {
    const video = await decodeVideo(REALSHORT);
    const probe = execFileSync('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,nb_read_frames',
      '-of',
      'csv=p=0',
      REALSHORT,
    ])
      .toString()
      .trim()
      .split(',')
      .map(Number);
    expect(probe).toEqual([320, 240, 36]);
    expect([video.width, video.height, video.frames]).toEqual([320, 240, 36]);
    expect(video.rgb.length).toBe(36 * 320 * 240 * 3);
    const frame10 = ffmpeg([
      '-i',
      REALSHORT,
      '-vf',
      'select=eq(n\\,10)',
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ]);
    expect(frame10.length).toBe(320 * 240 * 3);
    expect(Buffer.from(video.rgb.subarray(10 * frame10.length, 11 * frame10.length)).equals(frame10)).toBe(
      true,
    );
  });

  it('scales to a short side when asked', async () => {
    const video = await decodeVideo(REALSHORT, { shortSide: 128 });
    expect([video.width, video.height, video.frames]).toEqual([170, 128, 36]);
  });
});

describe('clip sampling and rendering', () => {
  it('spaces 3 eval clips over the video and loops short videos', () => {
    expect([0, 1, 2].map((c) => evalClipStart(c, 3, 36))).toEqual([0, 10, 20]);
    expect(evalClipStart(2, 3, 10)).toBe(0);
    expect(clipFrames(5, 10, 8)).toEqual([5, 6, 7, 8, 9, 0, 1, 2]);
  });

  /** 2 frames of 6x4, pixel value = 10 * frame + x + 100 * y on R, + 1 on G, + 2 on B. */
  const synthetic: DecodedVideo = (() => {
    const rgb = new Uint8Array(2 * 6 * 4 * 3);
    for (let f = 0; f < 2; f++)
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 6; x++)
          for (let c = 0; c < 3; c++) rgb[((f * 4 + y) * 6 + x) * 3 + c] = 10 * f + x + 40 * y + c;
    return { frames: 2, width: 6, height: 4, rgb };
  })();

  it('copies an unscaled crop minus the mean, mirrored on request', () => {
    const crop = { x: 1, y: 0, side: 4 };
    const out = renderClip(synthetic, [1], { crop, flip: false }, 4);
    // Output (y=2, x=3) of frame 1 is source (x=4, y=2): 10 + 4 + 80 = 94 on R.
    expect(out[(2 * 4 + 3) * 3]).toBeCloseTo(94 - UCF_MEAN[0], 4);
    expect(out[(2 * 4 + 3) * 3 + 2]).toBeCloseTo(96 - UCF_MEAN[2], 4);
    const mirrored = renderClip(synthetic, [1], { crop, flip: true }, 4);
    // Mirrored (y=2, x=0) is source x = 1 + 3 = 4.
    expect(mirrored[(2 * 4 + 0) * 3]).toBeCloseTo(94 - UCF_MEAN[0], 4);
  });

  it('halves a crop by averaging 2x2 blocks (bilinear at pixel centres)', () => {
    const out = renderClip(synthetic, [0], { crop: { x: 2, y: 0, side: 4 }, flip: false }, 2);
    // Output (0, 1) = mean of source x 4..5, y 0..1: (4 + 5 + 44 + 45) / 4 = 24.5.
    expect(out[1 * 3]).toBeCloseTo(24.5 - UCF_MEAN[0], 4);
  });

  it('places multi-scale corner crops', () => {
    expect(cornerSquare(320, 240, 0.5, 'bottomRight')).toEqual({ x: 200, y: 120, side: 120 });
    expect(cornerSquare(320, 240, 1, 'centre')).toEqual({ x: 40, y: 0, side: 240 });
  });
});

describe('openDataset("ucf101")', () => {
  it('eval: 3 centre-cropped clips per video, labels from classInd', async () => {
    const ds = await openDataset('ucf101', root, 'test', { size: 32 });
    expect([ds.length, ds.classes, ds.inputChannels]).toEqual([6, 2, 3]);
    expect(ds.sampleSize).toEqual([16, 32, 32]);
    const clips = await Promise.all([0, 1, 2, 3].map((i) => ds.get(i, 0)));
    expect(clips.map((c) => c.id)).toEqual([
      'Plain/v_Plain_g01_c01.avi#0',
      'Plain/v_Plain_g01_c01.avi#1',
      'Plain/v_Plain_g01_c01.avi#2',
      'Flipped/v_Flipped_g01_c01.avi#0',
    ]);
    expect(clips.map((c) => c.label[0])).toEqual([0, 0, 0, 1]);
    expect(clips[0].inputShape).toEqual([16, 32, 32, 3]);
    expect((clips[2].meta.frames as number[])[0]).toBe(4); // 20 frames: starts 0, 2, 4
    // The flipped class is the plain video upside down: row 0 of one ≈ the last row of the other.
    const row = (s: { input: Float32Array }, y: number) =>
      Array.from(s.input.subarray(y * 32 * 3, (y + 1) * 32 * 3));
    const difference =
      row(clips[0], 0).reduce((sum, v, n) => sum + Math.abs(v - row(clips[3], 31)[n]), 0) / 96;
    expect(difference).toBeLessThan(12);
    const unrelated = row(clips[0], 0).reduce((sum, v, n) => sum + Math.abs(v - row(clips[3], 0)[n]), 0) / 96;
    expect(unrelated).toBeGreaterThan(difference);
  });

  it('train: reproducible per seed; an unreadable video is a DataError naming it, skipped with skipBad', async () => {
    const ds = await openDataset('ucf101', root, 'train', { size: 16 });
    const a = await ds.get(1, 7);
    const b = await ds.get(1, 7);
    expect(Array.from(a.input)).toEqual(Array.from(b.input));
    expect(a.label[0]).toBe(1);
    const bad = join(root, 'UCF-101', 'Plain', 'v_Plain_g09_c01.avi');
    const error = await ds.get(2, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).file).toBe(bad);
    expect((error as DataError).problem).toMatch(/could not decode/);
    const warnings: string[] = [];
    const skipping = await openDataset('ucf101', root, 'train', {
      size: 16,
      skipBad: true,
      onWarning: (w) => warnings.push(w.file),
    });
    expect((await skipping.get(2, 0)).id).toBe('Plain/v_Plain_g08_c01.avi');
    expect(warnings).toEqual([bad]);
  });

  it('caches decoded frames on disk: a second pass does not decode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ranp-frames-'));
    const file = join(root, 'UCF-101', 'Plain', 'v_Plain_g01_c01.avi');
    const first = new FrameCache(dir, { shortSide: 37 });
    const decoded = await first.frames(file);
    expect(first.decodes).toBe(1);
    expect(await readdir(dir)).toHaveLength(1);
    const second = new FrameCache(dir, { shortSide: 37 });
    const cached = await second.frames(file);
    expect(second.decodes).toBe(0);
    expect([cached.frames, cached.width, cached.height]).toEqual([
      decoded.frames,
      decoded.width,
      decoded.height,
    ]);
    expect(Buffer.from(cached.rgb).equals(Buffer.from(decoded.rgb))).toBe(true);
  });

  it('checkDataset reports classes, videos, sizes and the unreadable file', async () => {
    const report = await checkDataset(root);
    expect(report).toMatchObject({
      task: 'ucf101',
      items: 4,
      splits: { train: 3, test: 2 },
      labels: [0, 1],
      shapes: [{ shape: [64, 48], count: 4 }],
    });
    expect(report.problems.map((p) => p.file)).toEqual([
      join(root, 'UCF-101', 'Plain', 'v_Plain_g09_c01.avi'),
    ]);
  });
});
