import { mkdtemp, rm, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataCommand } from '../../../engine/cli/commands/data.js';
import { UsageError } from '../../../engine/cli/command.js';
import { checkDataset, openDataset } from '../../../engine/tasks/datasets.js';
import { readNifti } from '../../../engine/data/nifti/read.js';

const SAMPLES = join(import.meta.dirname, '../../../assets/samples');

function captureIO() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), interactive: false },
    out,
    err,
  };
}

describe('committed sample datasets (assets/samples)', () => {
  it('BraTS: 10 clean subjects whose tumour shows in the images', async () => {
    const report = await checkDataset(join(SAMPLES, 'brats'));
    expect(report).toMatchObject({
      task: 'brats',
      items: 10,
      groups: { HGG: 6, LGG: 4 },
      labels: [0, 1, 2, 4],
      problems: [],
    });
    expect(report.shapes).toEqual([{ shape: [64, 64, 31], count: 10 }]);
    // Learnable structure: FLAIR is brighter in edema than in healthy brain, T1ce brightest in the enhancing rim.
    const dir = join(SAMPLES, 'brats/HGG/Brats18_RANP_01_1');
    const [seg, flair, t1ce] = await Promise.all(
      ['seg', 'flair', 't1ce'].map((m) => readNifti(join(dir, `Brats18_RANP_01_1_${m}.nii.gz`))),
    );
    const mean = (image: typeof flair, keep: (label: number, value: number) => boolean) => {
      let sum = 0;
      let n = 0;
      image.data.forEach((value, v) => {
        if (keep(seg.data[v], value)) [sum, n] = [sum + value, n + 1];
      });
      return sum / n;
    };
    expect(mean(flair, (l) => l === 2)).toBeGreaterThan(1.5 * mean(flair, (l, x) => l === 0 && x > 0));
    expect(mean(t1ce, (l) => l === 4)).toBeGreaterThan(1.5 * mean(t1ce, (l, x) => l === 0 && x > 0));
  });

  it('BraTS: a 16x32x32 training crop for the demo U-Net contains tumour', async () => {
    const ds = await openDataset('brats', join(SAMPLES, 'brats'), 'train', { trainCrop: [16, 32, 32] });
    const sample = await ds.get(0, 0);
    expect(sample.inputShape).toEqual([16, 32, 32, 4]);
    expect(Array.from(sample.label).filter((l) => l > 0).length).toBeGreaterThan(10);
  });

  it('ShapeNet: 40 clean clouds in 4 categories with all their parts', async () => {
    const report = await checkDataset(join(SAMPLES, 'shapenet'));
    expect(report).toMatchObject({
      task: 'shapenet',
      items: 40,
      splits: { train: 32, val: 4, test: 4 },
      problems: [],
    });
    expect(report.groups).toEqual({ Earphone: 10, Lamp: 10, Mug: 10, Table: 10 });
    // Earphone 16-18, Lamp 24-27, Mug 36-37, Table 47-49: every part of every category occurs.
    expect(report.labels).toEqual([16, 17, 18, 24, 25, 26, 27, 36, 37, 47, 48, 49]);
  });

  it('UCF101: 32 clean videos of 4 classes', async () => {
    const report = await checkDataset(join(SAMPLES, 'ucf101'));
    expect(report).toMatchObject({
      task: 'ucf101',
      items: 32,
      splits: { train: 24, test: 8 },
      labels: [0, 1, 2, 3],
      problems: [],
    });
    expect(report.shapes).toEqual([{ shape: [80, 60], count: 32 }]);
  });
});

describe('ranp data check', () => {
  it('prints what it found and exits 0 for a clean folder', async () => {
    const { io, out } = captureIO();
    expect(await dataCommand.run(['check', join(SAMPLES, 'brats')], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/subjects: 10 \(HGG 6, LGG 4\)/);
    expect(text).toMatch(/sizes: 64x64x31 \(10\)/);
    expect(text).toMatch(/labels: 0, 1, 2, 4/);
    expect(text).toMatch(/problems: none/);
  });

  it('lists each problem with its file and exits 1; --json gives the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ranp-check-'));
    await cp(join(SAMPLES, 'brats/LGG'), join(dir, 'LGG'), { recursive: true });
    const missing = join(dir, 'LGG/Brats18_RANP_07_1/Brats18_RANP_07_1_t2.nii.gz');
    await rm(missing);
    const { io, out } = captureIO();
    expect(await dataCommand.run(['check', dir, '--json'], io)).toBe(1);
    const report = JSON.parse(out.join(''));
    expect(report.items).toBe(3);
    expect(report.problems).toEqual([{ file: missing, problem: 'missing (subject Brats18_RANP_07_1)' }]);
  });

  it('rejects bad usage', async () => {
    const { io } = captureIO();
    await expect(dataCommand.run([], io)).rejects.toBeInstanceOf(UsageError);
    await expect(dataCommand.run(['check'], io)).rejects.toBeInstanceOf(UsageError);
    await expect(dataCommand.run(['check', SAMPLES, '--task', 'mnist'], io)).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});
