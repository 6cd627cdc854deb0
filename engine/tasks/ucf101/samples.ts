import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LIST_FOLDER, VIDEO_FOLDER } from './layout.js';
import { randomInt, seededRandom } from '../../data/random.js';

/**
 * A UCF101-layout folder cut from one real video (imageio's realshort.mp4, BSD-2): each "class" is
 * a visual transformation (unchanged, red tint, grey, upside down) that survives the training
 * augmentation (mirroring, corner crops); each group/clip takes another window in space and time.
 * Group 1 is the test list (as UCF101's split 1 tests groups 1-7), the others train.
 */
export interface UcfSampleOptions {
  video: string;
  outDir: string;
  groups: number;
  clipsPerGroup: number;
  /** Frames per output clip. */
  frames: number;
  width: number;
  height: number;
  seed: number;
  ffmpeg?: string;
}

export const SAMPLE_CLASSES: Record<string, string> = {
  Original: 'null',
  RedTint: 'colorchannelmixer=rr=1:rg=0.4:gg=0.5:bb=0.5',
  Grayscale: 'hue=s=0',
  UpsideDown: 'vflip',
};

function ffmpeg(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg exit ${code}: ${stderr.trim().split('\n').pop()}`)),
    );
  });
}

export async function makeUcfSamples(options: UcfSampleOptions): Promise<string[]> {
  const random = seededRandom(options.seed);
  const classes = Object.keys(SAMPLE_CLASSES);
  const train: string[] = [];
  const test: string[] = [];
  // realshort.mp4 is 320x240 with 36 frames; windows keep 4:3 and at least 60% of the frame.
  const sourceFrames = 36;
  for (const [c, name] of classes.entries()) {
    await mkdir(join(options.outDir, VIDEO_FOLDER, name), { recursive: true });
    for (let g = 1; g <= options.groups; g++) {
      for (let clip = 1; clip <= options.clipsPerGroup; clip++) {
        const entry = `${name}/v_${name}_g${String(g).padStart(2, '0')}_c${String(clip).padStart(2, '0')}.avi`;
        const scale = 0.6 + 0.4 * random();
        const [w, h] = [Math.floor(320 * scale), Math.floor(240 * scale)];
        const [x, y] = [randomInt(random, 320 - w + 1), randomInt(random, 240 - h + 1)];
        const start = randomInt(random, sourceFrames - options.frames + 1);
        const filters = [
          `trim=start_frame=${start}:end_frame=${start + options.frames}`,
          'setpts=PTS-STARTPTS',
          `crop=${w}:${h}:${x}:${y}`,
          `scale=${options.width}:${options.height}`,
          SAMPLE_CLASSES[name],
        ];
        await ffmpeg(options.ffmpeg ?? 'ffmpeg', [
          '-v',
          'error',
          '-nostdin',
          '-y',
          '-i',
          options.video,
          '-vf',
          filters.join(','),
          '-an',
          '-c:v',
          'mpeg4',
          '-q:v',
          '4',
          join(options.outDir, VIDEO_FOLDER, entry),
        ]);
        if (g === 1) test.push(entry);
        else train.push(`${entry} ${c + 1}`);
      }
    }
  }
  const lists = join(options.outDir, LIST_FOLDER);
  await mkdir(lists, { recursive: true });
  await writeFile(join(lists, 'classInd.txt'), classes.map((n, i) => `${i + 1} ${n}`).join('\n') + '\n');
  await writeFile(join(lists, 'trainlist01.txt'), train.join('\n') + '\n');
  await writeFile(join(lists, 'testlist01.txt'), test.join('\n') + '\n');
  return [...train.map((l) => l.split(' ')[0]), ...test];
}
