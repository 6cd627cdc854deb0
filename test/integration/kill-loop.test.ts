import Database from 'better-sqlite3';
import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, resolveDataPaths, type RunRecord, type Store } from '../../engine/store/index.js';
import { readCheckpoint } from '../../engine/train/checkpoint.js';
import { createRandom } from '../../engine/train/rng.js';
import { writeTinyBrats } from './train-fixtures.js';

// SIGKILLs `ranp experiment` (the CLI's runner in a child process, real store, real checkpoints) at
// seeded-random moments during scoring, training and store writes, resumes it each time with
// --resume, and checks the store after every kill; at the end the result must equal an
// uninterrupted run's.

const child = join(import.meta.dirname, 'kill-loop-child.ts');
const dir = mkdtempSync(join(tmpdir(), 'ranp-kill-loop-'));
const data = join(dir, 'brats');
beforeAll(() => writeTinyBrats(data, 4));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Stage = 'scoring' | 'training' | 'pruned training' | 'write';

/** Kill `delayMs` after the `after`-th marker of `stage` on the child's stderr. */
interface KillPlan {
  stage: Stage;
  after: number;
  delayMs: number;
}

interface Session {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The marker line the kill was timed from. */
  killedAfter?: string;
  stdout: string;
}

function matches(stage: Stage, line: string): boolean {
  if (stage === 'scoring') return line.startsWith('scoring');
  if (stage === 'training') return /^(unpruned|pruned): epoch \d+\/\d+/.test(line);
  if (stage === 'pruned training') return /^pruned: epoch \d+\/\d+/.test(line);
  return line.startsWith('write ');
}

function runSession(workDir: string, dataDir: string, resume: boolean, kill?: KillPlan): Promise<Session> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', child, data, workDir, dataDir, resume ? '1' : '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let pending = '';
    let seen = 0;
    let killedAfter: string | undefined;
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => {
      // The interactive progress bar separates updates with '\r' and clears the line with ESC[2K.
      const lines = (pending + chunk.toString()).replaceAll('\x1b[2K', '').split(/[\r\n]/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!kill || killedAfter !== undefined || !matches(kill.stage, line) || ++seen < kill.after) continue;
        killedAfter = line.replace(/\s*\[[#.]*\]/, '').split(/\s+\d+:\d+/)[0];
        setTimeout(() => proc.kill('SIGKILL'), kill.delayMs);
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => resolve({ code, signal, killedAfter, stdout }));
  });
}

/** Metric rows of a run, keyed `epoch|name`, without the timing and memory figures that differ run to run. */
function metricRows(store: Store, runId: number): Map<string, number> {
  const timing = new Set(['seconds per step', 'peak tensor MB', 'peak process RSS MB']);
  return new Map(
    store
      .metrics(runId)
      .filter((m) => !timing.has(m.name))
      .map((m) => [`${m.epoch}|${m.name}`, m.value]),
  );
}

function runsByRole(store: Store): Map<string, RunRecord> {
  const runs = store.listRuns();
  const byRole = new Map(runs.map((r) => [r.role ?? '', r]));
  expect(byRole.size, `one run per role, got ${runs.map((r) => `${r.id}:${r.role}`).join(', ')}`).toBe(
    runs.length,
  );
  return byRole;
}

function weights(file: string): Record<string, number[]> {
  const { tensors } = readCheckpoint<unknown>(file);
  const out = Object.fromEntries(
    [...tensors].filter(([k]) => k.startsWith('w/')).map(([k, t]) => [k, Array.from(t.dataSync())]),
  );
  tf.dispose([...tensors.values()]);
  return out;
}

describe('experiment under repeated SIGKILL', () => {
  it('keeps the store intact, loses no epoch, and resumes to the uninterrupted result', async () => {
    const baseWork = join(dir, 'base-work');
    const baseStore = join(dir, 'base-store');
    const base = await runSession(baseWork, baseStore, false);
    expect(base.code).toBe(0);
    const baseline = openStore({ dataDir: baseStore });
    const baseRows = new Map<string, Map<string, number>>();
    try {
      for (const [role, run] of runsByRole(baseline)) baseRows.set(role, metricRows(baseline, run.id));
    } finally {
      baseline.dispose();
    }
    expect([...baseRows.keys()].sort()).toEqual(['pruned', 'unpruned']);

    const work = join(dir, 'work');
    const storeDir = join(dir, 'store');
    const random = createRandom(2026);
    const pick = (n: number) => Math.floor(random() * n);
    // Each stage at least once; a scoring kill repeats the prune step, the others move further on
    // ('pruned training' waits for the second net, so the last kills hit its run).
    const stages: Stage[] = ['scoring', 'training', 'write', 'training', 'write', 'pruned training', 'write'];
    const killedAfter: string[] = [];
    const recordedEpochs = new Map<string, number>();
    let rowsLost = 0;
    let integrityChecks = 0;
    let last: Session | undefined;

    for (const [i, stage] of stages.entries()) {
      const plan: KillPlan =
        stage === 'scoring'
          ? { stage, after: 1, delayMs: pick(800) }
          : stage !== 'write'
            ? { stage, after: 1 + pick(3), delayMs: pick(300) }
            : { stage, after: 1 + pick(6), delayMs: pick(4) };
      last = await runSession(work, storeDir, i > 0, plan);
      if (last.code === 0) break;
      expect(last.signal, `session ${i} ended with ${last.code} instead of being killed`).toBe('SIGKILL');
      killedAfter.push(`${last.killedAfter} +${plan.delayMs}ms`);

      const db = new Database(resolveDataPaths({ dataDir: storeDir }).database);
      try {
        expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        integrityChecks++;
      } finally {
        db.close();
      }
      const store = openStore({ dataDir: storeDir });
      try {
        expect(store.listRuns({ status: 'running' })).toEqual([]);
        for (const [role, run] of runsByRole(store)) {
          const rows = metricRows(store, run.id);
          const expected = baseRows.get(role)!;
          const epochs = [...rows.keys()]
            .filter((k) => k.endsWith('|loss'))
            .map((k) => Number(k.split('|')[0]));
          const done = Math.max(0, ...epochs);
          // Contiguous 1..done, every row of those epochs with the uninterrupted run's value, one
          // system row each; epochs recorded before this kill still there.
          const upTo = Math.max(done, recordedEpochs.get(role) ?? 0);
          for (const [key, value] of expected) {
            const epoch = Number(key.split('|')[0]);
            if (epoch > upTo || key.includes('|final ') || !/\|(loss|lr|val )/.test(key)) continue;
            if (rows.get(key) !== value) rowsLost++;
          }
          expect(
            store
              .systemMetrics(run.id)
              .map((s) => s.epoch)
              .filter((e) => e <= done),
          ).toEqual(Array.from({ length: done }, (_, e) => e + 1));
          recordedEpochs.set(role, upTo);
        }
      } finally {
        store.dispose();
      }
    }
    expect(killedAfter.length).toBeGreaterThanOrEqual(5);
    expect(rowsLost).toBe(0);

    if (last?.code !== 0) last = await runSession(work, storeDir, true);
    expect(last.code).toBe(0);
    const store = openStore({ dataDir: storeDir });
    try {
      const runs = runsByRole(store);
      expect([...runs.keys()].sort()).toEqual(['pruned', 'unpruned']);
      expect(runs.get('pruned')!.parentRunId).toBe(runs.get('unpruned')!.id);
      for (const [role, run] of runs) {
        expect(run.status).toBe('completed');
        expect(Object.fromEntries(metricRows(store, run.id))).toEqual(
          Object.fromEntries(baseRows.get(role)!),
        );
      }
    } finally {
      store.dispose();
    }
    const finalResult = JSON.parse(last.stdout) as Record<'unpruned' | 'pruned', { metrics: object }>;
    const baseResult = JSON.parse(base.stdout) as typeof finalResult;
    for (const role of ['unpruned', 'pruned'] as const) {
      expect(finalResult[role].metrics).toEqual(baseResult[role].metrics);
      for (const file of ['last.ckpt', 'best.ckpt'])
        expect(weights(join(work, role, file))).toEqual(weights(join(baseWork, role, file)));
    }
    console.log(
      `kill loop: ${killedAfter.length} SIGKILLs survived, ${rowsLost} metric rows lost, ` +
        `${integrityChecks} integrity checks ok; killed after: ${killedAfter.join(' | ')}`,
    );
  }, 300_000);
});
