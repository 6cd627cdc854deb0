import type { EngineStatus } from '../protocol/status.js';
import type { Store } from '../store/index.js';
import type { EventData, EventName } from '../protocol/events.js';
import type { EvaluationReports } from './evaluation-reports.js';
import type { FolderGuard } from './folders.js';
import type { JobManager } from './jobs.js';
import type { ScoreCache } from './score-cache.js';
import type { VolumeCache } from './volume-cache.js';
import type { MethodName, ParsedParamsOf, ResultOf } from '../protocol/methods.js';

/** What every handler may use: no globals, everything it touches is here. */
export interface HostContext {
  mode: EngineStatus['mode'];
  dataDir: string;
  samplesDir: string;
  folders: FolderGuard;
  jobs: JobManager;
  /** The experiment store in dataDir, opened on first use and closed with the host. */
  store(): Store;
  /** Pruning scores per setting, so previews after the first are instant. */
  scores: ScoreCache;
  /** Decoded NIfTI images volume.get served, so a case opens again without reading it again. */
  volumes: VolumeCache;
  /** Runs' evaluation reports, each parsed once (per-sample metrics, prediction file names). */
  evaluations: EvaluationReports;
  /** Pushes an event to every connected client. */
  emit<E extends EventName>(event: E, data: EventData<E>): void;
}

/** A handler's answer: the result, plus the voxels for binary methods. */
export type HandlerReply<M extends MethodName> = M extends 'volume.get'
  ? { result: ResultOf<M>; payload: Uint8Array }
  : ResultOf<M>;

export type Handler<M extends MethodName> = (
  params: ParsedParamsOf<M>,
  ctx: HostContext,
) => Promise<HandlerReply<M>>;

export type HandlerTable = { [M in MethodName]: Handler<M> };
