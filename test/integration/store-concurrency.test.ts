import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../engine/store/index.js';
import { spawnWriter, type WriterChild } from './store-processes.js';

const dirs: string[] = [];
const children: WriterChild[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ranp-store-int-'));
  dirs.push(dir);
  return dir;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function epochCounts(store: Store, runId: number): Map<number, number> {
  const rows = store.db
    .prepare(`SELECT epoch, COUNT(*) AS n FROM metrics WHERE run_id = ? GROUP BY epoch ORDER BY epoch`)
    .all(runId) as { epoch: number; n: number }[];
  return new Map(rows.map((r) => [r.epoch, r.n]));
}

describe('two processes on one store', () => {
  it('a child writes epochs while this process reads and writes; readers only ever see whole epochs', async () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir });
    try {
      const perEpoch = 300;
      const epochs = 25;
      const writer = spawnWriter(dir, { epochs, perEpoch, checkpointBytes: 4096, delayMs: 40 });
      children.push(writer);
      const runId = await writer.runId;
      const own = store.createRun({ task: 'evaluate', net: 'reader-parent', config: {}, status: 'running' });
      const seen = new Set<number>();
      let ownEpoch = 0;
      while (writer.process.exitCode === null) {
        const counts = epochCounts(store, runId);
        // All-or-nothing: every visible epoch is complete, with its checkpoint and system row.
        for (const n of counts.values()) expect(n).toBe(perEpoch);
        const checkpoints = store.db
          .prepare(`SELECT COUNT(*) FROM artifacts WHERE run_id = ?`)
          .pluck()
          .get(runId);
        const system = store.db
          .prepare(`SELECT COUNT(*) FROM system_metrics WHERE run_id = ?`)
          .pluck()
          .get(runId);
        expect(checkpoints).toBeGreaterThanOrEqual(counts.size);
        expect(system).toBeGreaterThanOrEqual(counts.size);
        seen.add(counts.size);
        // This process writes too, contending for the write lock (busy_timeout makes it wait, not fail).
        store.recordEpoch(own.id, { epoch: ownEpoch++, metrics: [{ name: 'dice', value: 0.5 }] });
        await sleep(15);
      }
      const { code, stderr } = await writer.exited;
      expect(stderr).toBe('');
      expect(code).toBe(0);
      // The reader saw the run part-way through, not only before or after.
      expect([...seen].some((n) => n > 0 && n < epochs)).toBe(true);
      const final = epochCounts(store, runId);
      expect(final.size).toBe(epochs);
      expect([...final.values()].every((n) => n === perEpoch)).toBe(true);
      expect(store.getRun(runId).status).toBe('completed');
      expect(store.metrics(own.id)).toHaveLength(ownEpoch);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.dispose();
    }
  });

  it('several processes opening a fresh store at once all migrate and write without error', async () => {
    const dir = tempDir();
    const writers = [0, 1, 2].map(() => spawnWriter(dir, { epochs: 3, perEpoch: 50 }));
    children.push(...writers);
    const results = await Promise.all(writers.map((w) => w.exited));
    expect(results.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    const ids = await Promise.all(writers.map((w) => w.runId));
    expect(new Set(ids).size).toBe(3);
    const store = openStore({ dataDir: dir });
    try {
      expect(store.listRuns().map((r) => [r.status, store.metrics(r.id).length])).toEqual([
        ['completed', 150],
        ['completed', 150],
        ['completed', 150],
      ]);
    } finally {
      store.dispose();
    }
  });
});
