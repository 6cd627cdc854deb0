import * as tf from '@tensorflow/tfjs';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/index.js';
import type { CreateRunInput, RunRecord } from '../store/types.js';
import { readCheckpoint } from '../train/checkpoint.js';
import type { EpochRecord } from '../train/loop.js';

/**
 * Resuming an experiment from its work folder continues the same store runs: each role's folder
 * holds run.json with the run's uuid, written before the run row exists, so a kill at any moment
 * leaves either no run or one the work folder points to.
 */

const RUN_LINK_FILE = 'run.json';

interface RunLink {
  uuid: string;
}

function readRunLink(file: string): RunLink {
  const link = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunLink>;
  if (typeof link.uuid !== 'string' || !link.uuid)
    throw new Error(`${file}: expected {"uuid": "<store run uuid>"}, got ${JSON.stringify(link)}`);
  return { uuid: link.uuid };
}

/** Atomic (temp file + rename): a kill never leaves a half-written link. */
function writeRunLink(file: string, link: RunLink): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(link));
  renameSync(`${file}.tmp`, file);
}

/**
 * The store run of one role. With a work folder and `resume`, the run named by its run.json:
 * interrupted → running again; completed → returned as is (nothing more to record); not in this
 * store (killed before the row was written) → created under that uuid. Otherwise (no link, or the
 * earlier run was cancelled or failed) the `waiting` run when given — the row a job queue created
 * on submit, queued or (after an interrupt before it started) interrupted — else a new run; either
 * is linked from the work folder when there is one.
 */
export function openRoleRun(
  store: Store,
  input: CreateRunInput,
  roleDir: string | undefined,
  resume: boolean,
  log: (message: string) => void,
  waiting?: number,
  /** Recorded when a queued or interrupted run is claimed (it may run on another backend than before). */
  backend?: string,
): RunRecord {
  // A queued or interrupted run now runs here: on this backend, in this environment.
  const claimed = { backend, environment: input.environment };
  const claim = (run: RunRecord): RunRecord => {
    if (run.status !== 'queued' && run.status !== 'interrupted')
      throw new Error(`run ${run.id} is ${run.status}; only a queued or interrupted run can start`);
    if (roleDir) {
      mkdirSync(roleDir, { recursive: true });
      writeRunLink(join(roleDir, RUN_LINK_FILE), { uuid: run.uuid });
    }
    return store.updateRunStatus(run.id, 'running', claimed);
  };
  if (!roleDir) return waiting !== undefined ? claim(store.getRun(waiting)) : store.createRun(input);
  const linkFile = join(roleDir, RUN_LINK_FILE);
  if (resume && existsSync(linkFile)) {
    const { uuid } = readRunLink(linkFile);
    const earlier = store.findRunByUuid(uuid);
    if (!earlier) return store.createRun({ ...input, uuid });
    switch (earlier.status) {
      case 'interrupted':
        log(`continuing run ${earlier.id} (${earlier.role ?? 'run'}, interrupted)`);
        return store.updateRunStatus(earlier.id, 'running', claimed);
      case 'completed':
        return earlier;
      case 'running':
      case 'queued':
        throw new Error(
          `${linkFile}: run ${earlier.id} is ${earlier.status} (pid ${earlier.pid} on ${earlier.host}); ` +
            'resume it once that process has ended',
        );
      default:
        log(`run ${earlier.id} was ${earlier.status}; continuing its checkpoints in a new run`);
    }
  }
  if (waiting !== undefined) return claim(store.getRun(waiting));
  const uuid = randomUUID();
  mkdirSync(roleDir, { recursive: true });
  writeRunLink(linkFile, { uuid });
  return store.createRun({ ...input, uuid });
}

/** One training epoch as store rows (metrics and system metrics, one transaction). */
export function recordTrainingEpoch(store: Store, runId: number, record: EpochRecord): void {
  store.recordEpoch(runId, {
    epoch: record.epoch,
    metrics: [
      { name: 'loss', value: record.loss },
      { name: 'lr', value: record.lr },
      ...Object.entries(record.val ?? {}).map(([name, value]) => ({ name: `val ${name}`, value })),
    ],
    system: { samplesPerSecond: record.samplesPerSecond, peakMemoryBytes: process.memoryUsage().rss },
  });
}

/**
 * Records the epochs that the checkpoint has finished but the store lacks: the loop checkpoints an
 * epoch before it reports it, so a kill in between (or a new run after a cancel) would otherwise
 * leave a gap. Returns the epochs recorded.
 */
export function recordCheckpointedEpochs(store: Store, runId: number, lastCheckpoint: string): number[] {
  if (!existsSync(lastCheckpoint)) return [];
  const { meta, tensors } = readCheckpoint<{ history?: EpochRecord[] }>(lastCheckpoint);
  tf.dispose([...tensors.values()]);
  const stored = new Set(store.metrics(runId, ['loss']).map((m) => m.epoch));
  const missing = (meta.history ?? []).filter((record) => !stored.has(record.epoch));
  for (const record of missing) recordTrainingEpoch(store, runId, record);
  return missing.map((record) => record.epoch);
}
