import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRoleRun, recordCheckpointedEpochs } from '../../../engine/experiment/resume.js';
import { openStore, StoreError, type CreateRunInput, type Store } from '../../../engine/store/index.js';
import { writeCheckpoint } from '../../../engine/train/checkpoint.js';
import type { EpochRecord } from '../../../engine/train/loop.js';
import { useTempDirs } from '../store/temp.js';

const tempDir = useTempDirs();
const open: Store[] = [];
afterEach(() => {
  for (const store of open.splice(0)) store.dispose();
});
function newStore(): Store {
  const store = openStore({ dataDir: tempDir() });
  open.push(store);
  return store;
}

const input: CreateRunInput = {
  task: 'train',
  net: 'unet3d-brats',
  role: 'pruned',
  config: { seed: 1 },
  status: 'running',
};
const quiet = () => {};
const linkedUuid = (roleDir: string) =>
  (JSON.parse(readFileSync(join(roleDir, 'run.json'), 'utf8')) as { uuid: string }).uuid;

describe('openRoleRun: the store run of a work folder', () => {
  it('without a work folder creates a plain run and links nothing', () => {
    const store = newStore();
    const run = openRoleRun(store, input, undefined, true, quiet);
    expect(store.listRuns().map((r) => r.id)).toEqual([run.id]);
  });

  it('links a new run from the work folder by uuid, and a resume continues the interrupted run', () => {
    const store = newStore();
    const roleDir = join(tempDir(), 'pruned');
    const first = openRoleRun(store, input, roleDir, false, quiet);
    expect(linkedUuid(roleDir)).toBe(first.uuid);
    store.updateRunStatus(first.id, 'interrupted');

    const logged: string[] = [];
    const again = openRoleRun(store, input, roleDir, true, (m) => logged.push(m));
    expect(again.id).toBe(first.id);
    expect(again.status).toBe('running');
    expect(again.pid).toBe(process.pid);
    expect(store.listRuns()).toHaveLength(1);
    expect(logged).toEqual([`continuing run ${first.id} (pruned, interrupted)`]);
  });

  it('returns a completed run unchanged, refuses a running one, starts over after a cancel', () => {
    const store = newStore();
    const roleDir = join(tempDir(), 'pruned');
    const running = openRoleRun(store, input, roleDir, false, quiet);
    expect(() => openRoleRun(store, input, roleDir, true, quiet)).toThrow(
      `run ${running.id} is running (pid ${process.pid}`,
    );
    store.updateRunStatus(running.id, 'completed');
    expect(openRoleRun(store, input, roleDir, true, quiet)).toEqual(store.getRun(running.id));

    const other = join(tempDir(), 'pruned');
    const cancelled = openRoleRun(store, input, other, false, quiet);
    store.updateRunStatus(cancelled.id, 'cancelled');
    const fresh = openRoleRun(store, input, other, true, quiet);
    expect(fresh.id).not.toBe(cancelled.id);
    expect(linkedUuid(other)).toBe(fresh.uuid);
  });

  it('creates the linked run under its uuid when the kill came before the row was written', () => {
    const roleDir = join(tempDir(), 'unpruned');
    const uuid = openRoleRun(newStore(), input, roleDir, false, quiet).uuid;
    const store = newStore();
    const run = openRoleRun(store, input, roleDir, true, quiet);
    expect(run.uuid).toBe(uuid);
    expect(store.listRuns()).toHaveLength(1);
  });

  it('without resume links a new run even when the folder has a link', () => {
    const store = newStore();
    const roleDir = join(tempDir(), 'pruned');
    const first = openRoleRun(store, input, roleDir, false, quiet);
    const second = openRoleRun(store, input, roleDir, false, quiet);
    expect(second.id).not.toBe(first.id);
    expect(linkedUuid(roleDir)).toBe(second.uuid);
    expect(existsSync(join(roleDir, 'run.json.tmp'))).toBe(false);
  });
});

describe('store.createRun with a given uuid', () => {
  it('refuses a duplicate or malformed uuid', () => {
    const store = newStore();
    store.createRun({ ...input, uuid: 'run-0001-abcd' });
    expect(() => store.createRun({ ...input, uuid: 'run-0001-abcd' })).toThrow(StoreError);
    expect(() => store.createRun({ ...input, uuid: '../x' })).toThrow('uuid must be');
  });
});

describe('recordCheckpointedEpochs', () => {
  const epoch = (n: number, loss: number): EpochRecord => ({
    epoch: n,
    loss,
    lr: 0.01,
    seconds: 1,
    samplesPerSecond: 2,
    val: { 'dice wt': n / 10 },
  });

  it('records the epochs the checkpoint finished and the store lacks, leaving the others', async () => {
    const store = newStore();
    const run = store.createRun(input);
    store.recordEpoch(run.id, { epoch: 1, metrics: [{ name: 'loss', value: 9 }] });
    const file = join(tempDir(), 'last.ckpt');
    await writeCheckpoint(file, { history: [epoch(1, 3), epoch(2, 2), epoch(3, 1)] }, new Map());

    expect(recordCheckpointedEpochs(store, run.id, file)).toEqual([2, 3]);
    expect(store.metrics(run.id).map((m) => [m.epoch, m.name, m.value])).toEqual([
      [1, 'loss', 9],
      [2, 'loss', 2],
      [2, 'lr', 0.01],
      [2, 'val dice wt', 0.2],
      [3, 'loss', 1],
      [3, 'lr', 0.01],
      [3, 'val dice wt', 0.3],
    ]);
    expect(store.systemMetrics(run.id).map((s) => [s.epoch, s.samplesPerSecond])).toEqual([
      [2, 2],
      [3, 2],
    ]);
    expect(recordCheckpointedEpochs(store, run.id, file)).toEqual([]);
    expect(recordCheckpointedEpochs(store, run.id, join(tempDir(), 'none.ckpt'))).toEqual([]);
  });
});
