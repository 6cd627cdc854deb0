import type { NetDescription } from '../nn/description.js';
import type { StoreApi } from '../store/store-api.js';

/** The checkpoints a training run stores, in the order a trained net is read from them. */
const CHECKPOINTS = ['best.ckpt', 'last.ckpt'] as const;

/** A stored run's trained net: the description it trained (net.json) and its best checkpoint, else its last. */
export interface TrainedNet {
  net: NetDescription;
  checkpointName: (typeof CHECKPOINTS)[number];
  /** The verified checkpoint file in the store. */
  checkpointPath: string;
}

/** Thrown for a run that has no trained weights (a prune run, a failed run, an evaluation). */
export class NoTrainedNetError extends Error {
  override name = 'NoTrainedNetError';
}

/**
 * The trained net of run `runId` (RunNotFoundError for an unknown id). `purpose` completes the
 * error message: "run 3 has no trained net to <purpose>".
 */
export function trainedNetOf(store: StoreApi, runId: number, purpose: string): TrainedNet {
  const names = store.listArtifacts(runId).map((a) => a.name);
  const checkpointName = CHECKPOINTS.find((n) => names.includes(n));
  if (!names.includes('net.json') || !checkpointName) {
    const run = store.getRun(runId);
    throw new NoTrainedNetError(
      `run ${runId} (${run.task}${run.role ? `, ${run.role}` : ''}, ${run.status}) has no trained net to ${purpose}: ` +
        `it needs net.json and ${CHECKPOINTS.join(' or ')}; it has ${names.join(', ') || 'no artifacts'}`,
    );
  }
  return {
    net: JSON.parse(store.readArtifact(runId, 'net.json').toString('utf8')) as NetDescription,
    checkpointName,
    checkpointPath: store.verifyArtifact(runId, checkpointName).path,
  };
}
