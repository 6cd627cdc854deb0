// The kill loop shared by kill-loop.test.ts (a few seeded kills) and `npm run killtest` (as many as
// asked): SIGKILLs `ranp experiment` (the CLI's runner in a child process, real store, real
// checkpoints) at seeded-random moments during scoring, training, checkpoint writes and store
// writes, resumes it each time with --resume, and checks the store after every kill. A round ends
// when a session finishes; its result must then equal an uninterrupted run's. Problems are counted,
// not thrown, so the figures of a long run are reported whole.
import Database from 'better-sqlite3';
import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { openStore, resolveDataPaths, type RunRecord, type Store } from '../../engine/store/index.js';
import { readCheckpoint } from '../../engine/train/checkpoint.js';
import { createRandom } from '../../engine/train/rng.js';
import { writeTinyBrats } from './train-fixtures.js';

const CHILD = join(import.meta.dirname, 'kill-loop-child.ts');

export const KILL_STAGES = ['scoring', 'training', 'pruned training', 'checkpoint', 'write'] as const;
export type KillStage = (typeof KILL_STAGES)[number];

/** Kill `delayMs` after the `after`-th marker of `stage` on the child's stderr. */
export interface KillPlan {
  stage: KillStage;
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

export interface KillFigures {
  kills: number;
  /** Kills per stage they were timed from. */
  killsByStage: Record<KillStage, number>;
  /** Experiments killed until they finished, each compared with the uninterrupted run. */
  rounds: number;
  /** Sessions that ended neither by the kill nor successfully (exit code, first stderr line). */
  crashes: string[];
  /** Checks after a kill that failed: integrity_check not ok, a run left 'running', two runs of one role. */
  corruptions: string[];
  /** Epochs recorded before a kill that were missing, or differed from the uninterrupted run's, after it. */
  epochsLost: number;
  /** Finished rounds whose metrics, status or final/best weights differ from the uninterrupted run's. */
  resumeMismatches: string[];
  wallSeconds: number;
  /** e.g. 'unpruned: epoch 2/3 +120ms', one per kill. */
  killedAfter: string[];
}

function matches(stage: KillStage, line: string): boolean {
  if (stage === 'scoring') return line.startsWith('scoring');
  if (stage === 'training') return /^(unpruned|pruned): epoch \d+\/\d+/.test(line);
  if (stage === 'pruned training') return /^pruned: epoch \d+\/\d+/.test(line);
  if (stage === 'checkpoint') return line.startsWith('write checkpoint');
  return line.startsWith('write ') && !line.startsWith('write checkpoint');
}

function runSession(data: string, workDir: string, storeDir: string, resume: boolean, kill?: KillPlan) {
  return new Promise<Session>((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, data, workDir, storeDir, resume ? '1' : '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let pending = '';
    let seen = 0;
    let killedAfter: string | undefined;
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString();
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
    proc.on('exit', (code, signal) =>
      resolve({ code, signal, killedAfter, stdout: signal || code !== 0 ? stderr : stdout }),
    );
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

/** Runs by role, or a description of the problem when a role has more than one run. */
function runsByRole(store: Store): Map<string, RunRecord> | string {
  const runs = store.listRuns();
  const byRole = new Map(runs.map((r) => [r.role ?? '', r]));
  return byRole.size === runs.length
    ? byRole
    : `two runs of one role: ${runs.map((r) => `${r.id}:${r.role}`).join(', ')}`;
}

function weights(file: string): Record<string, number[]> {
  const { tensors } = readCheckpoint<unknown>(file);
  const out = Object.fromEntries(
    [...tensors].filter(([k]) => k.startsWith('w/')).map(([k, t]) => [k, Array.from(t.dataSync())]),
  );
  tf.dispose([...tensors.values()]);
  return out;
}

interface Baseline {
  work: string;
  rows: Map<string, Map<string, number>>;
  metrics: Record<string, unknown>;
}

async function runBaseline(dir: string, data: string): Promise<Baseline> {
  const work = join(dir, 'base-work');
  const storeDir = join(dir, 'base-store');
  const base = await runSession(data, work, storeDir, false);
  if (base.code !== 0) throw new Error(`the uninterrupted run failed (${base.code}): ${base.stdout}`);
  const store = openStore({ dataDir: storeDir });
  try {
    const runs = runsByRole(store);
    if (typeof runs === 'string') throw new Error(`the uninterrupted run: ${runs}`);
    const rows = new Map([...runs].map(([role, run]) => [role, metricRows(store, run.id)]));
    if ([...rows.keys()].sort().join() !== 'pruned,unpruned')
      throw new Error(`the uninterrupted run stored roles ${[...rows.keys()].join(', ')}`);
    return { work, rows, metrics: metricsOf(base.stdout) };
  } finally {
    store.dispose();
  }
}

function metricsOf(stdout: string): Record<string, unknown> {
  const result = JSON.parse(stdout) as Record<'unpruned' | 'pruned', { metrics: object }>;
  return { unpruned: result.unpruned.metrics, pruned: result.pruned.metrics };
}

/** Checks the store after a kill; returns the corruption found, if any, and counts lost epochs. */
function checkAfterKill(
  storeDir: string,
  baseline: Baseline,
  recordedEpochs: Map<string, number>,
): { corruption?: string; epochsLost: number } {
  const database = resolveDataPaths({ dataDir: storeDir }).database;
  if (!existsSync(database)) return { epochsLost: 0 };
  const db = new Database(database);
  try {
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0].integrity_check !== 'ok')
      return { corruption: `integrity_check: ${JSON.stringify(integrity)}`, epochsLost: 0 };
  } finally {
    db.close();
  }
  const store = openStore({ dataDir: storeDir });
  try {
    const running = store.listRuns({ status: 'running' });
    if (running.length)
      return { corruption: `runs left running: ${running.map((r) => r.id)}`, epochsLost: 0 };
    const runs = runsByRole(store);
    if (typeof runs === 'string') return { corruption: runs, epochsLost: 0 };
    let epochsLost = 0;
    for (const [role, run] of runs) {
      const rows = metricRows(store, run.id);
      const expected = baseline.rows.get(role)!;
      const done = Math.max(
        0,
        ...[...rows.keys()].filter((k) => k.endsWith('|loss')).map((k) => Number(k.split('|')[0])),
      );
      // Every epoch recorded before this kill is still there, contiguous from 1, each row with the
      // uninterrupted run's value and one system row per epoch.
      const upTo = Math.max(done, recordedEpochs.get(role) ?? 0);
      const system = new Set(store.systemMetrics(run.id).map((s) => s.epoch));
      for (let epoch = 1; epoch <= upTo; epoch++) {
        const intact =
          system.has(epoch) &&
          [...expected].every(
            ([key, value]) =>
              Number(key.split('|')[0]) !== epoch ||
              key.includes('|final ') ||
              !/\|(loss|lr|val )/.test(key) ||
              rows.get(key) === value,
          );
        if (!intact) epochsLost++;
      }
      recordedEpochs.set(role, upTo);
    }
    return { epochsLost };
  } finally {
    store.dispose();
  }
}

/** How a finished round differs from the uninterrupted run, or undefined when it does not. */
function compareWithBaseline(storeDir: string, work: string, stdout: string, baseline: Baseline) {
  const store = openStore({ dataDir: storeDir });
  try {
    const runs = runsByRole(store);
    if (typeof runs === 'string') return runs;
    if (runs.get('pruned')?.parentRunId !== runs.get('unpruned')?.id)
      return 'pruned run not linked to unpruned';
    for (const [role, run] of runs) {
      if (run.status !== 'completed') return `${role} run ${run.status}`;
      const expected = baseline.rows.get(role);
      if (!expected || !isDeepStrictEqual(metricRows(store, run.id), expected))
        return `${role} metric rows differ`;
    }
  } finally {
    store.dispose();
  }
  if (!isDeepStrictEqual(metricsOf(stdout), baseline.metrics)) return 'final metrics differ';
  for (const role of ['unpruned', 'pruned'])
    for (const file of ['last.ckpt', 'best.ckpt'])
      if (!isDeepStrictEqual(weights(join(work, role, file)), weights(join(baseline.work, role, file))))
        return `${role}/${file} weights differ`;
  return undefined;
}

export interface KillLoopOptions {
  /** Scratch folder (data, stores, work folders). */
  dir: string;
  /** Kills in all; rounds go on until this many. */
  kills: number;
  seed: number;
  /** The stage of the n-th kill of a round (default: drawn at random). */
  stageOf?: (n: number, random: () => number) => KillStage;
  /** Kills after which a round is let finish (so a round cannot go on for ever). */
  killsPerRound?: number;
  onKill?: (line: string, figures: KillFigures) => void;
}

export async function killLoop(options: KillLoopOptions): Promise<KillFigures> {
  const started = performance.now();
  const data = join(options.dir, 'brats');
  if (!existsSync(data)) await writeTinyBrats(data, 4);
  const baseline = await runBaseline(options.dir, data);
  const random = createRandom(options.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const stageOf = options.stageOf ?? (() => KILL_STAGES[pick(KILL_STAGES.length)]);
  const figures: KillFigures = {
    kills: 0,
    killsByStage: Object.fromEntries(KILL_STAGES.map((s) => [s, 0])) as Record<KillStage, number>,
    rounds: 0,
    crashes: [],
    corruptions: [],
    epochsLost: 0,
    resumeMismatches: [],
    wallSeconds: 0,
    killedAfter: [],
  };
  while (figures.kills < options.kills) {
    const round = figures.rounds;
    const work = join(options.dir, `work-${round}`);
    const storeDir = join(options.dir, `store-${round}`);
    const recordedEpochs = new Map<string, number>();
    let last: Session | undefined;
    for (let n = 0; last?.code !== 0; n++) {
      const killing = figures.kills < options.kills && n < (options.killsPerRound ?? 15);
      const stage = stageOf(n, random);
      const plan: KillPlan | undefined = !killing
        ? undefined
        : stage === 'scoring'
          ? { stage, after: 1, delayMs: pick(800) }
          : stage === 'training' || stage === 'pruned training'
            ? { stage, after: 1 + pick(3), delayMs: pick(300) }
            : { stage, after: 1 + pick(stage === 'write' ? 6 : 3), delayMs: pick(4) };
      last = await runSession(data, work, storeDir, n > 0, plan);
      if (last.code === 0) break;
      if (last.signal !== 'SIGKILL') {
        figures.crashes.push(`round ${round} session ${n}: exit ${last.code}: ${last.stdout.slice(-500)}`);
        break;
      }
      figures.kills++;
      figures.killsByStage[plan!.stage]++;
      const line = `${last.killedAfter} +${plan!.delayMs}ms`;
      figures.killedAfter.push(line);
      const check = checkAfterKill(storeDir, baseline, recordedEpochs);
      if (check.corruption) figures.corruptions.push(`round ${round} after ${line}: ${check.corruption}`);
      figures.epochsLost += check.epochsLost;
      options.onKill?.(line, figures);
    }
    if (last?.code === 0) {
      const mismatch = compareWithBaseline(storeDir, work, last.stdout, baseline);
      if (mismatch) figures.resumeMismatches.push(`round ${round}: ${mismatch}`);
    }
    figures.rounds++;
    // A finished round's folders are checked; keep the disk small over hundreds of kills.
    rmSync(work, { recursive: true, force: true });
    rmSync(storeDir, { recursive: true, force: true });
  }
  figures.wallSeconds = (performance.now() - started) / 1000;
  return figures;
}
