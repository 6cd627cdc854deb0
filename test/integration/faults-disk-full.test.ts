import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readNifti } from '../../engine/data/nifti/read.js';
import { writeLabelMap } from '../../engine/data/nifti/write.js';
import { CheckpointError, readCheckpoint, writeCheckpoint } from '../../engine/train/checkpoint.js';
import { FileWriteError } from '../../engine/util/atomic-write.js';
import { mountTinyDisk, setReadOnly } from './faults-tiny-disk.js';

// Real kernel errors, no mocks: `<file>.tmp` as a symlink to /dev/full makes every write fail with
// ENOSPC (the writer opens the temporary name and follows the link); a tmpfs of a few KiB is a disk
// that really fills up (where this process may mount); a path whose parent is a regular file gives
// ENOTDIR, which root cannot override either (chmod cannot make a folder read-only for root, but a
// read-only remount of that tmpfs gives EROFS to everyone).

let toRemove: string[] = [];
afterEach(() => {
  for (const dir of toRemove) fs.rmSync(dir, { recursive: true, force: true });
  toRemove = [];
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ranp-faults-'));
  toRemove.push(dir);
  return dir;
}

function weights(values: number[], step: number): Map<string, tf.Tensor> {
  return new Map([
    ['conv1/kernel', tf.tensor(values, [2, 2], 'float32')],
    ['optimizer/step', tf.tensor([step], [1], 'int32')],
  ]);
}

async function writeWeights(file: string, epoch: number, values: number[]): Promise<void> {
  const tensors = weights(values, epoch);
  try {
    await writeCheckpoint(file, { epoch }, tensors);
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

function readBack(file: string): { epoch: number; kernel: number[]; step: number[] } {
  const { meta, tensors } = readCheckpoint<{ epoch: number }>(file);
  try {
    return {
      epoch: meta.epoch,
      kernel: Array.from(tensors.get('conv1/kernel')!.dataSync()),
      step: Array.from(tensors.get('optimizer/step')!.dataSync()),
    };
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

describe('writeCheckpoint when the disk is full', () => {
  it('rejects naming the file and the full disk, keeps the previous checkpoint byte-identical, leaves no temporary file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'last.ckpt');
    await writeWeights(file, 1, [0.5, -1, 2, 4]);
    const before = fs.readFileSync(file);
    fs.symlinkSync('/dev/full', `${file}.tmp`);

    const error = await writeWeights(file, 2, [9, 9, 9, 9]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).file).toBe(file);
    expect((error as Error).message).toContain(`checkpoint ${file}: not written: the disk is full`);
    expect((error as Error).message).toContain('ENOSPC');
    expect(((error as Error).cause as FileWriteError).code).toBe('ENOSPC');

    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(readBack(file)).toEqual({ epoch: 1, kernel: [0.5, -1, 2, 4], step: [1] });
    expect(fs.readdirSync(dir)).toEqual(['last.ckpt']);

    // Once there is room again the next write goes through.
    await writeWeights(file, 2, [9, 8, 7, 6]);
    expect(readBack(file)).toEqual({ epoch: 2, kernel: [9, 8, 7, 6], step: [2] });
  });

  it('leaves no file at all when the very first checkpoint cannot be written', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'best.ckpt');
    fs.symlinkSync('/dev/full', `${file}.tmp`);
    await expect(writeWeights(file, 1, [1, 2, 3, 4])).rejects.toThrow(/the disk is full/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('reports a folder that cannot hold files (its path runs through a regular file: ENOTDIR)', async () => {
    const dir = tempDir();
    const notAFolder = path.join(dir, 'run');
    fs.writeFileSync(notAFolder, 'a file where the run folder should be');
    const file = path.join(notAFolder, 'last.ckpt');
    await expect(writeWeights(file, 1, [1, 2, 3, 4])).rejects.toThrow(
      `checkpoint ${file}: not written: a folder in the path is a file (ENOTDIR`,
    );
    expect(fs.readFileSync(notAFolder, 'utf8')).toBe('a file where the run folder should be');
  });

  it('on a real tmpfs that fills up mid-write: previous checkpoint intact, partial temp file removed, space freed (needs mount privilege; skipped without it)', async (ctx) => {
    const disk = mountTinyDisk(64);
    if (!disk) return ctx.skip();
    try {
      const file = path.join(disk.dir, 'last.ckpt');
      await writeWeights(file, 1, [1, 2, 3, 4]);
      const before = fs.readFileSync(file);
      const free = fs.statfsSync(disk.dir).bavail;
      // 32,768 floats = 128 KiB of payload: twice the disk, so the kernel accepts part of it first.
      const big = tf.zeros([32768], 'float32');
      try {
        await expect(writeCheckpoint(file, { epoch: 2 }, new Map([['big', big]]))).rejects.toThrow(
          /checkpoint .*last\.ckpt: not written: the disk is full \(ENOSPC/,
        );
      } finally {
        big.dispose();
      }
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(readBack(file)).toEqual({ epoch: 1, kernel: [1, 2, 3, 4], step: [1] });
      expect(fs.readdirSync(disk.dir)).toEqual(['last.ckpt']);
      expect(fs.statfsSync(disk.dir).bavail).toBe(free);
    } finally {
      disk.dispose();
    }
  });
});

describe('writing a prediction NIfTI when the disk is full', () => {
  const grid = { dims: [2, 2, 2], affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] };

  it('rejects with FileWriteError naming the file, keeps an earlier prediction, leaves nothing half-written', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'predictions', 'case-1.nii.gz');
    await writeLabelMap(file, new Uint8Array([0, 1, 2, 3, 3, 2, 1, 0]), grid);
    const before = fs.readFileSync(file);
    fs.symlinkSync('/dev/full', `${file}.tmp`);

    const error = await writeLabelMap(file, new Uint8Array(8).fill(4), grid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as FileWriteError).code).toBe('ENOSPC');
    expect((error as Error).message).toContain(`cannot write ${file}: the disk is full (ENOSPC`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(Array.from((await readNifti(file)).data as Uint8Array)).toEqual([0, 1, 2, 3, 3, 2, 1, 0]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['case-1.nii.gz']);
  });

  it('leaves no file under the final name when the first write fails', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'case-2.nii');
    fs.symlinkSync('/dev/full', `${file}.tmp`);
    await expect(writeLabelMap(file, new Uint8Array(8), grid)).rejects.toThrow(/the disk is full/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('reports a predictions folder that cannot be created (a regular file in its path: ENOTDIR)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'predictions'), '');
    const file = path.join(dir, 'predictions', 'run-3', 'case-1.nii.gz');
    await expect(writeLabelMap(file, new Uint8Array(8), grid)).rejects.toThrow(
      `cannot write ${file}: a folder in the path is a file (ENOTDIR`,
    );
  });
});

describe('writing into a data folder on a read-only file system (EROFS; needs mount privilege, skipped without it)', () => {
  const grid = { dims: [2, 2, 2], affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] };

  it('checkpoint and prediction: the error names the file and the read-only file system, earlier files stay byte-identical', async (ctx) => {
    const disk = mountTinyDisk(256);
    if (!disk) return ctx.skip();
    try {
      const checkpoint = path.join(disk.dir, 'last.ckpt');
      const prediction = path.join(disk.dir, 'case-1.nii.gz');
      await writeWeights(checkpoint, 1, [1, 2, 3, 4]);
      await writeLabelMap(prediction, new Uint8Array([0, 1, 2, 3, 3, 2, 1, 0]), grid);
      const checkpointBefore = fs.readFileSync(checkpoint);
      const predictionBefore = fs.readFileSync(prediction);
      setReadOnly(disk);

      await expect(writeWeights(checkpoint, 2, [9, 9, 9, 9])).rejects.toThrow(
        `checkpoint ${checkpoint}: not written: the file system is read-only (EROFS`,
      );
      const error = await writeLabelMap(prediction, new Uint8Array(8).fill(4), grid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileWriteError);
      expect((error as FileWriteError).code).toBe('EROFS');
      expect((error as Error).message).toContain(
        `cannot write ${prediction}: the file system is read-only (EROFS`,
      );

      expect(fs.readFileSync(checkpoint).equals(checkpointBefore)).toBe(true);
      expect(fs.readFileSync(prediction).equals(predictionBefore)).toBe(true);
      expect(readBack(checkpoint)).toEqual({ epoch: 1, kernel: [1, 2, 3, 4], step: [1] });
      expect(fs.readdirSync(disk.dir).sort()).toEqual(['case-1.nii.gz', 'last.ckpt']);

      // Writable again: the next checkpoint goes through.
      setReadOnly(disk, false);
      await writeWeights(checkpoint, 2, [9, 8, 7, 6]);
      expect(readBack(checkpoint)).toEqual({ epoch: 2, kernel: [9, 8, 7, 6], step: [2] });
    } finally {
      disk.dispose();
    }
  });
});
