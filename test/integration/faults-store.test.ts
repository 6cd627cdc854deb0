import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, StoreError, type Store } from '../../engine/store/index.js';
import { fillDisk, mountTinyDisk } from './faults-tiny-disk.js';

// The store's artifact copy and its database under real kernel errors: a tmpfs of a few hundred KiB
// that fills up (ENOSPC; needs mount privilege, skipped without it), and a staging path that is a
// regular file (works for any user).

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const release of cleanups.reverse()) release();
  cleanups = [];
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ranp-faults-store-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function open(options: { dataDir: string; dbPath?: string }): Store {
  const store = openStore(options);
  cleanups.push(() => store.dispose());
  return store;
}

function runningRun(store: Store): number {
  return store.createRun({ task: 'train', net: 'unet3d-shapenet', config: {}, status: 'running' }).id;
}

function metricRows(store: Store, runId: number): { epoch: number; name: string; value: number }[] {
  return store.db
    .prepare(`SELECT epoch, name, value FROM metrics WHERE run_id = ? ORDER BY epoch, name`)
    .all(runId) as { epoch: number; name: string; value: number }[];
}

describe('store artifact copy when the data folder cannot take the file', () => {
  it('staging path is a regular file: StoreError names the data folder, no artifact row, epoch not half-recorded', () => {
    const dataDir = tempDir();
    const store = open({ dataDir });
    const runId = runningRun(store);
    store.recordEpoch(runId, { epoch: 0, metrics: [{ name: 'loss', value: 0.75 }] });
    fs.writeFileSync(store.paths.staging, 'not a folder');

    expect(() =>
      store.addArtifact(runId, {
        kind: 'prediction',
        name: 'case.nii.gz',
        source: { bytes: new Uint8Array(4) },
      }),
    ).toThrow(StoreError);
    expect(() =>
      store.recordEpoch(runId, {
        epoch: 1,
        metrics: [{ name: 'loss', value: 0.5 }],
        checkpoint: { source: { bytes: new Uint8Array(16) } },
      }),
    ).toThrow(`cannot store the checkpoint in ${dataDir}: `);

    expect(store.listArtifacts(runId)).toEqual([]);
    expect(metricRows(store, runId)).toEqual([{ epoch: 0, name: 'loss', value: 0.75 }]);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('disk full on a real tmpfs (needs mount privilege; skipped without it): error says so, earlier artifacts verify, no staged leftovers', (ctx) => {
    const disk = mountTinyDisk(256);
    if (!disk) return ctx.skip();
    cleanups.push(() => disk.dispose());
    // The database on the ordinary disk, the artifacts on the tiny one.
    const store = open({ dataDir: disk.dir, dbPath: path.join(tempDir(), 'ranp.sqlite') });
    const runId = runningRun(store);
    const small = new Uint8Array([1, 2, 3, 4, 5]);
    store.recordEpoch(runId, {
      epoch: 0,
      metrics: [{ name: 'loss', value: 0.75 }],
      checkpoint: { source: { bytes: small } },
    });
    const free = fs.statfsSync(disk.dir).bavail;
    const tooBig = new Uint8Array(1024 * 1024).fill(7);

    expect(() =>
      store.addArtifact(runId, { kind: 'prediction', name: 'case.nii.gz', source: { bytes: tooBig } }),
    ).toThrow(`cannot store the prediction in ${disk.dir}: the disk is full (ENOSPC`);
    const source = path.join(tempDir(), 'epoch-1.ckpt');
    fs.writeFileSync(source, tooBig);
    expect(() =>
      store.recordEpoch(runId, {
        epoch: 1,
        metrics: [{ name: 'loss', value: 0.5 }],
        checkpoint: { source: { file: source } },
      }),
    ).toThrow(/cannot store the checkpoint in .*: the disk is full \(ENOSPC/);

    expect(store.listArtifacts(runId).map((a) => a.name)).toEqual(['epoch-0.ckpt']);
    expect(Array.from(store.readArtifact(runId, 'epoch-0.ckpt'))).toEqual([1, 2, 3, 4, 5]);
    expect(metricRows(store, runId)).toEqual([{ epoch: 0, name: 'loss', value: 0.75 }]);
    expect(fs.readdirSync(store.paths.staging)).toEqual([]);
    expect(fs.statfsSync(disk.dir).bavail).toBe(free);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('database on a disk that fills up (needs mount privilege; skipped without it): the failed epoch rolls back whole, the store reopens consistent', (ctx) => {
    const disk = mountTinyDisk(1024);
    if (!disk) return ctx.skip();
    cleanups.push(() => disk.dispose());
    const dataDir = path.join(disk.dir, 'data');
    let store = openStore({ dataDir });
    let runId: number;
    try {
      runId = runningRun(store);
      store.recordEpoch(runId, { epoch: 0, metrics: [{ name: 'loss', value: 0.75 }] });
      const filler = fillDisk(disk.dir);
      // ~5,000 rows need far more pages than the WAL has free: SQLite hits ENOSPC (SQLITE_FULL).
      const many = Array.from({ length: 5000 }, (_, i) => ({ name: `m${i}`, value: i }));
      expect(() => store.recordEpoch(runId, { epoch: 1, metrics: many })).toThrow(/disk is full/);
      fs.rmSync(filler);
    } finally {
      store.dispose();
    }
    store = open({ dataDir });
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(metricRows(store, runId)).toEqual([{ epoch: 0, name: 'loss', value: 0.75 }]);
    store.recordEpoch(runId, { epoch: 1, metrics: [{ name: 'loss', value: 0.5 }] });
    expect(metricRows(store, runId).map((m) => m.value)).toEqual([0.75, 0.5]);
  });
});
