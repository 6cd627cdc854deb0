import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/index.js';
import { spawnWriter, type WriterChild } from './store-processes.js';

const dirs: string[] = [];
const children: WriterChild[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('a writer killed with SIGKILL mid-write', () => {
  it('leaves a database that opens clean: integrity ok, no partial epoch, run interrupted and resumable', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ranp-store-kill-'));
    dirs.push(dir);
    const perEpoch = 3000;
    for (let attempt = 0; attempt < 3; attempt++) {
      const writer = spawnWriter(dir, { epochs: 'forever', perEpoch, checkpointBytes: 256 * 1024 });
      children.push(writer);
      const runId = await writer.runId;
      await writer.untilEpoch(1);
      // Kill at varying points of the next epoch's write (it spends nearly all its time writing).
      await new Promise((resolve) => setTimeout(resolve, attempt * 7));
      writer.process.kill('SIGKILL');
      const { signal } = await writer.exited;
      expect(signal).toBe('SIGKILL');

      const store = openStore({ dataDir: dir });
      try {
        expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(store.db.pragma('foreign_key_check')).toEqual([]);
        const run = store.getRun(runId);
        expect(run.status).toBe('interrupted');
        expect(run.error).toMatch(/ended without finishing the run/);
        const counts = store.db
          .prepare(`SELECT epoch, COUNT(*) AS n FROM metrics WHERE run_id = ? GROUP BY epoch ORDER BY epoch`)
          .all(runId) as { epoch: number; n: number }[];
        // Epochs are a gap-free prefix 0..k, each complete, each with its checkpoint and system row.
        expect(counts.map((c) => c.epoch)).toEqual(counts.map((_, i) => i));
        expect(counts.every((c) => c.n === perEpoch)).toBe(true);
        expect(counts.length).toBeGreaterThanOrEqual(writer.committedEpoch() + 1);
        const checkpoints = store.listArtifacts(runId);
        expect(checkpoints.map((a) => a.epoch)).toEqual(counts.map((c) => c.epoch));
        expect(store.systemMetrics(runId).map((s) => s.epoch)).toEqual(counts.map((c) => c.epoch));
        for (const a of checkpoints) expect(store.readArtifact(runId, a.name)).toHaveLength(256 * 1024);
        const resumable = store.resumableRuns().find((r) => r.run.id === runId)!;
        expect(resumable.lastEpoch).toBe(counts.length - 1);
        expect(resumable.checkpoint?.epoch).toBe(counts.length - 1);
      } finally {
        store.dispose();
      }
    }
  });
});
