import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ArtifactIntegrityError,
  openStore,
  RunNotFoundError,
  StoreError,
  type Store,
} from '../../../engine/store/index.js';
import { useTempDirs } from './temp.js';

const tempDir = useTempDirs();
const open: Store[] = [];
afterEach(() => {
  for (const store of open.splice(0)) store.dispose();
});
function newStore(dir = tempDir()): Store {
  const store = openStore({ dataDir: dir });
  open.push(store);
  return store;
}

/** A pid that certainly belongs to no process: one that has just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('runs', () => {
  it('creates, filters, searches and sorts runs', () => {
    const store = newStore();
    const a = store.createRun({
      task: 'prune',
      net: 'unet3d-shapenet',
      method: 'ranp-f',
      sparsity: 0.7824,
      lambda: 11,
      seed: 1,
      config: { note: 'alpha' },
    });
    const b = store.createRun({
      task: 'train',
      net: 'unet3d-brats',
      method: 'snip',
      sparsity: 0.5,
      seed: 2,
      config: { tag: 'Beta_1%' },
      name: 'brats run',
    });
    const c = store.createRun({
      task: 'train',
      net: 'unet3d-shapenet',
      role: 'pruned',
      parentRunId: a.id,
      config: {},
      project: 'p2',
    });
    expect(a).toMatchObject({
      status: 'queued',
      project: 'default',
      sparsity: 0.7824,
      lambda: 11,
      appVersion: '0.1.0',
      startedAt: null,
    });
    expect(c.parentRunId).toBe(a.id);
    expect(store.listRuns().map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    expect(store.listRuns({ net: 'unet3d-shapenet' }).map((r) => r.id)).toEqual([a.id, c.id]);
    expect(store.listRuns({ task: 'train', method: 'snip' }).map((r) => r.id)).toEqual([b.id]);
    expect(store.listRuns({ project: 'p2' }).map((r) => r.id)).toEqual([c.id]);
    expect(store.listRuns({ text: 'ALPHA' }).map((r) => r.id)).toEqual([a.id]);
    // LIKE wildcards in the search text are literal.
    expect(store.listRuns({ text: '_1%' }).map((r) => r.id)).toEqual([b.id]);
    expect(store.listRuns({ text: 'brats run' }).map((r) => r.id)).toEqual([b.id]);
    expect(store.listRuns({ sort: 'sparsity', descending: true, limit: 2 }).map((r) => r.id)).toEqual([
      a.id,
      b.id,
    ]);
    expect(() => store.createRun({ task: 'train', net: 'n', config: {}, sparsity: 1 })).toThrow(
      /sparsity must be in \[0, 1\)/,
    );
    expect(() => store.getRun(999)).toThrow(RunNotFoundError);
  });

  it('setRunSparsity: a run created without one (pruned for a budget) gets the one found; others unchanged', () => {
    const store = newStore();
    const queued = store.createRun({ task: 'train', net: 'n', config: {}, status: 'queued' });
    const other = store.createRun({ task: 'train', net: 'n', config: {}, sparsity: 0.25 });
    expect(queued.sparsity).toBeNull();
    expect(store.setRunSparsity(queued.id, 0.4375).sparsity).toBe(0.4375);
    expect([store.getRun(queued.id).sparsity, store.getRun(queued.id).status]).toEqual([0.4375, 'queued']);
    expect(store.getRun(other.id).sparsity).toBe(0.25);
    expect(() => store.setRunSparsity(queued.id, 1)).toThrow(
      /setRunSparsity: sparsity must be in \[0, 1\), got 1/,
    );
    expect(() => store.setRunSparsity(999, 0.5)).toThrow(RunNotFoundError);
  });

  it('records the backend a run is claimed on, keeping the earlier one when none is given', () => {
    const store = newStore();
    const run = store.createRun({ task: 'train', net: 'n', config: {}, backend: 'cpu' });
    expect(store.updateRunStatus(run.id, 'running', { backend: 'native' }).backend).toBe('native');
    store.updateRunStatus(run.id, 'interrupted');
    expect(store.updateRunStatus(run.id, 'running').backend).toBe('native');
  });

  it('follows the status lifecycle and claims running runs for this process', () => {
    const store = newStore();
    const run = store.createRun({ task: 'train', net: 'n', config: {} });
    expect(() => store.updateRunStatus(run.id, 'completed')).toThrow(
      'run 1: cannot change status from queued to completed',
    );
    const running = store.updateRunStatus(run.id, 'running');
    expect(running).toMatchObject({ status: 'running', pid: process.pid });
    expect(running.startedAt).not.toBeNull();
    const failed = store.updateRunStatus(run.id, 'failed', { error: 'out of memory' });
    expect(failed).toMatchObject({ status: 'failed', error: 'out of memory' });
    expect(failed.endedAt).not.toBeNull();
    expect(() => store.updateRunStatus(run.id, 'running')).toThrow(/from failed to running/);
  });

  it('marks runs of dead processes interrupted on open, and they are resumable from their last checkpoint', () => {
    const dir = tempDir();
    const store = newStore(dir);
    const run = store.createRun({ task: 'train', net: 'n', config: {}, status: 'running' });
    store.recordEpoch(run.id, {
      epoch: 1,
      metrics: [{ name: 'loss', value: 2 }],
      checkpoint: { source: { bytes: Buffer.from('e1') } },
    });
    store.recordEpoch(run.id, {
      epoch: 2,
      metrics: [{ name: 'loss', value: 1 }],
      checkpoint: { source: { bytes: Buffer.from('e2') } },
    });
    const alive = store.createRun({ task: 'train', net: 'n', config: {}, status: 'running' });
    const otherHostStale = store.createRun({ task: 'train', net: 'n', config: {}, status: 'running' });
    const otherHostFresh = store.createRun({ task: 'train', net: 'n', config: {}, status: 'running' });
    const beforeBoot = store.createRun({ task: 'train', net: 'n', config: {}, status: 'running' });
    // Our own (live) pid, but a heartbeat from before this machine booted: the pid was reused.
    store.db.prepare(`UPDATE runs SET heartbeat_at = 0 WHERE id = ?`).run(beforeBoot.id);
    store.db.prepare(`UPDATE runs SET pid = ? WHERE id = ?`).run(deadPid(), run.id);
    store.db
      .prepare(`UPDATE runs SET host = 'elsewhere', heartbeat_at = ? WHERE id = ?`)
      .run(Date.now() - 3_600_000, otherHostStale.id);
    store.db
      .prepare(`UPDATE runs SET host = 'elsewhere', heartbeat_at = ? WHERE id = ?`)
      .run(Date.now(), otherHostFresh.id);

    // A copy cut short by a dead process is cleaned up; a live process's is left alone.
    fs.mkdirSync(store.paths.staging, { recursive: true });
    const abandoned = path.join(store.paths.staging, `${deadPid()}-partial`);
    const inFlight = path.join(store.paths.staging, `${process.pid}-in-flight`);
    fs.writeFileSync(abandoned, 'x');
    fs.writeFileSync(inFlight, 'y');

    const reopened = newStore(dir);
    expect(fs.existsSync(abandoned)).toBe(false);
    expect(fs.existsSync(inFlight)).toBe(true);
    expect(reopened.getRun(run.id).status).toBe('interrupted');
    expect(reopened.getRun(run.id).error).toMatch(/ended without finishing/);
    expect(reopened.getRun(alive.id).status).toBe('running');
    expect(reopened.getRun(otherHostStale.id).status).toBe('interrupted');
    expect(reopened.getRun(otherHostFresh.id).status).toBe('running');
    expect(reopened.getRun(beforeBoot.id).status).toBe('interrupted');
    const resumable = reopened.resumableRuns();
    expect(resumable.map((r) => r.run.id)).toEqual([run.id, otherHostStale.id, beforeBoot.id]);
    expect(resumable[0].lastEpoch).toBe(2);
    expect(resumable[0].checkpoint?.name).toBe('epoch-2.ckpt');
    expect(reopened.readArtifact(run.id, 'epoch-2.ckpt').toString()).toBe('e2');
    expect(reopened.updateRunStatus(run.id, 'running').status).toBe('running');
  });
});

describe('recordEpoch', () => {
  it('stores metrics, system metrics and a checkpoint together, and replaces a re-recorded epoch', () => {
    const store = newStore();
    const run = store.createRun({ task: 'train', net: 'n', config: {}, status: 'running' });
    store.recordEpoch(run.id, {
      epoch: 1,
      metrics: [
        { name: 'loss', value: 0.9, step: 10 },
        { name: 'miou', value: 0.3 },
      ],
      system: { samplesPerSecond: 12.5, peakMemoryBytes: 2 ** 30, extra: { gpu: 'none' } },
      checkpoint: { source: { bytes: Buffer.from('weights-1') } },
    });
    store.recordEpoch(run.id, { epoch: 1, metrics: [{ name: 'loss', value: 0.8, step: 10 }] });
    expect(store.metrics(run.id).map((m) => [m.step, m.epoch, m.name, m.value])).toEqual([
      [10, 1, 'loss', 0.8],
    ]);
    expect(store.systemMetrics(run.id)).toMatchObject([
      { epoch: 1, samplesPerSecond: 12.5, peakMemoryBytes: 2 ** 30, extra: { gpu: 'none' } },
    ]);
    const [checkpoint] = store.listArtifacts(run.id);
    expect(checkpoint).toMatchObject({ kind: 'checkpoint', name: 'epoch-1.ckpt', epoch: 1, size: 9 });
    // sha256('weights-1') computed independently with `printf weights-1 | sha256sum`.
    expect(checkpoint.hash).toBe('d6d6b238a083cd70d9cca3b4232e0289a0dc5cfaa9644d8af7601f92b5c76f4f');
    expect(checkpoint.path.startsWith(store.paths.checkpoints)).toBe(true);
  });

  it('rejects bad input before writing anything, naming the field', () => {
    const store = newStore();
    const run = store.createRun({ task: 'train', net: 'n', config: {}, status: 'running' });
    expect(() =>
      store.recordEpoch(run.id, {
        epoch: 1,
        metrics: [
          { name: 'loss', value: 1 },
          { name: 'acc', value: NaN },
        ],
      }),
    ).toThrow("metric 'acc' value must be a finite number");
    expect(store.metrics(run.id)).toEqual([]);
    store.updateRunStatus(run.id, 'completed');
    expect(() => store.recordEpoch(run.id, { epoch: 2, metrics: [] })).toThrow(
      'run 1 is completed; cannot record an epoch unless it is running',
    );
  });
});

describe('artifacts', () => {
  it('stores files by content hash, verifies on read and names a missing or altered file', () => {
    const dir = tempDir();
    // A space in the data folder, as in macOS's 'Application Support'.
    const store = newStore(path.join(tempDir(), 'Application Support'));
    const run = store.createRun({ task: 'prune', net: 'n', config: {}, status: 'running' });
    const source = path.join(dir, 'scores.bin');
    fs.writeFileSync(source, Buffer.from([1, 2, 3, 4]));
    const scores = store.addArtifact(run.id, {
      kind: 'scores',
      name: 'scores.bin',
      source: { file: source },
    });
    // sha256 of bytes 01 02 03 04, from `printf '\x01\x02\x03\x04' | sha256sum`.
    expect(scores.hash).toBe('9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a');
    expect(scores.path).toBe(path.join(store.paths.scores, '9f', scores.hash));
    expect([...store.readArtifact(run.id, 'scores.bin')]).toEqual([1, 2, 3, 4]);

    fs.writeFileSync(scores.path, Buffer.from([1, 2, 3, 5]));
    expect(() => store.readArtifact(run.id, 'scores.bin')).toThrow(ArtifactIntegrityError);
    expect(() => store.readArtifact(run.id, 'scores.bin')).toThrow(
      new RegExp(
        `artifact file ${scores.path}: sha256 is \\w+, expected ${scores.hash} \\(content altered\\) — artifact 'scores.bin' \\(scores\\) of run 1`,
      ),
    );
    fs.writeFileSync(scores.path, Buffer.from([1, 2]));
    expect(() => store.verifyArtifact(run.id, 'scores.bin')).toThrow(/has 2 bytes, expected 4/);
    fs.rmSync(scores.path);
    expect(() => store.readArtifact(run.id, 'scores.bin')).toThrow(
      `artifact file ${scores.path}: is missing — artifact 'scores.bin' (scores) of run 1`,
    );
    expect(() => store.readArtifact(run.id, 'nope')).toThrow("run 1 has no artifact named 'nope'");
    expect(() =>
      store.addArtifact(run.id, { kind: 'other', name: '../evil', source: { bytes: Buffer.from('x') } }),
    ).toThrow(StoreError);
  });

  it('deleteRun removes the run and only the files no other run shares', () => {
    const store = newStore();
    const a = store.createRun({ task: 'train', net: 'n', config: {} });
    const b = store.createRun({ task: 'train', net: 'n', config: {}, parentRunId: a.id });
    const shared = store.addArtifact(a.id, {
      kind: 'net',
      name: 'net.json',
      source: { bytes: Buffer.from('{}') },
    });
    store.addArtifact(b.id, { kind: 'net', name: 'net.json', source: { bytes: Buffer.from('{}') } });
    const own = store.addArtifact(a.id, {
      kind: 'prediction',
      name: 'pred.bin',
      source: { bytes: Buffer.from('p') },
    });
    store.updateRunStatus(a.id, 'running');
    expect(() => store.deleteRun(a.id)).toThrow(/is running .* cancel it before deleting/);
    store.updateRunStatus(a.id, 'cancelled');
    store.deleteRun(a.id);
    expect(() => store.getRun(a.id)).toThrow(RunNotFoundError);
    expect(fs.existsSync(own.path)).toBe(false);
    expect(fs.existsSync(shared.path)).toBe(true);
    expect(store.getRun(b.id).parentRunId).toBeNull();
    expect(store.db.prepare(`SELECT COUNT(*) FROM artifacts WHERE run_id = ?`).pluck().get(a.id)).toBe(0);
  });
});

describe('prune reports', () => {
  it('keeps the whole report and generic per-layer rows with extra fields', () => {
    const store = newStore();
    const run = store.createRun({ task: 'prune', net: 'n', config: {} });
    const report = {
      sparsity: 0.5,
      layers: [
        { layer: 'enc0.conv1', kept: 10, total: 32, flopsBefore: 100, flopsAfter: 31.25, memoryBefore: 5 },
        { layer: 'classifier', kept: 50, total: 50 },
      ],
    };
    store.recordPruneReport(run.id, report);
    expect(store.getPruneReport(run.id)).toEqual({ report, layers: report.layers });
    expect(() => store.recordPruneReport(run.id, { layers: [{ layer: 'x', kept: 5, total: 4 }] })).toThrow(
      "layer 'x' keeps 5 of 4",
    );
    expect(store.getPruneReport(run.id)?.layers).toHaveLength(2);
  });
});

describe('queries', () => {
  function seeded(store: Store, method: string, seed: number, finalMiou: number, lossCurve: number[]) {
    const run = store.createRun({
      task: 'train',
      net: 'unet3d-shapenet',
      method,
      sparsity: 0.78,
      seed,
      config: { lr: 0.1, seed, method },
      status: 'running',
    });
    lossCurve.forEach((loss, epoch) =>
      store.recordEpoch(run.id, {
        epoch,
        metrics: [
          { name: 'loss', value: loss },
          { name: 'miou', value: finalMiou - (lossCurve.length - 1 - epoch) * 0.1 },
        ],
      }),
    );
    store.updateRunStatus(run.id, 'completed');
    return run.id;
  }

  it('compares runs: differing params, best and last metric per run', () => {
    const store = newStore();
    const a = seeded(store, 'ranp-f', 1, 0.6, [3, 1, 2]);
    const b = seeded(store, 'snip', 1, 0.5, [4, 3, 2.5]);
    const cmp = store.compareRuns([a, b]);
    expect(cmp.differences).toEqual([
      { key: 'config.method', values: ['ranp-f', 'snip'] },
      { key: 'method', values: ['ranp-f', 'snip'] },
    ]);
    const loss = cmp.metrics.find((m) => m.name === 'loss')!;
    expect(loss.better).toBe('min');
    expect(loss.best).toEqual([
      { step: 1, value: 1 },
      { step: 2, value: 2.5 },
    ]);
    expect(loss.last).toEqual([
      { step: 2, value: 2 },
      { step: 2, value: 2.5 },
    ]);
    const miou = cmp.metrics.find((m) => m.name === 'miou')!;
    expect(miou.best.map((s) => s?.value)).toEqual([0.6, 0.5]);
  });

  it('groups seeds with mean ± sample std of final metrics', () => {
    const store = newStore();
    const ids = [
      seeded(store, 'ranp-f', 1, 0.5, [1]),
      seeded(store, 'ranp-f', 2, 0.6, [1]),
      seeded(store, 'ranp-f', 3, 0.7, [1]),
    ];
    const other = seeded(store, 'snip', 1, 0.4, [1]);
    const groups = store.groupBySeed();
    expect(groups).toHaveLength(2);
    const ranp = groups.find((g) => g.method === 'ranp-f')!;
    expect(ranp.runIds).toEqual(ids);
    expect(ranp.seeds).toEqual([1, 2, 3]);
    const miou = ranp.metrics.find((m) => m.name === 'miou')!;
    expect(miou.n).toBe(3);
    expect(miou.mean).toBeCloseTo(0.6, 12);
    expect(miou.std).toBeCloseTo(0.1, 12); // sqrt((0.01 + 0 + 0.01) / 2)
    expect(groups.find((g) => g.method === 'snip')!.runIds).toEqual([other]);
  });

  it('returns downsampled curves for several runs, keeping spikes; short curves whole', () => {
    const store = newStore();
    const loss = (k: number, step: number) => (step === 12_345 ? 50 : step === 777 ? -5 : k / (1 + step));
    const ids = [1, 2].map((k) => {
      const run = store.createRun({ task: 'train', net: 'n', config: { k }, status: 'running' });
      store.recordEpoch(run.id, {
        epoch: 0,
        metrics: [
          ...Array.from({ length: 20_000 }, (_, step) => ({ name: 'loss', value: loss(k, step), step })),
          ...[0, 5, 9].map((step) => ({ name: 'val dice', value: step / 10, step })),
        ],
      });
      return run.id;
    });
    const curves = store.curves(ids, ['loss', 'val dice', 'absent'], 300);
    expect(curves.map((c) => [c.runId, c.name, c.totalPoints, c.points.length])).toEqual([
      [ids[0], 'loss', 20_000, 300],
      [ids[0], 'val dice', 3, 3],
      [ids[0], 'absent', 0, 0],
      [ids[1], 'loss', 20_000, 300],
      [ids[1], 'val dice', 3, 3],
      [ids[1], 'absent', 0, 0],
    ]);
    const long = curves[3].points;
    expect(long[0]).toEqual({ step: 0, value: 2 });
    expect(long.at(-1)).toEqual({ step: 19_999, value: 2 / 20_000 });
    // The spike and the dip survive; every point is a stored point, in step order.
    expect(long).toContainEqual({ step: 12_345, value: 50 });
    expect(long).toContainEqual({ step: 777, value: -5 });
    expect(long.every((p, i) => p.value === loss(2, p.step) && (i === 0 || p.step > long[i - 1].step))).toBe(
      true,
    );
    expect(curves[1].points).toEqual([
      { step: 0, value: 0 },
      { step: 5, value: 0.5 },
      { step: 9, value: 0.9 },
    ]);
  });
});
