import { randomUUID } from 'node:crypto';
import { InterruptRequest } from '../experiment/interrupt.js';
import type { JobInfo, JobState, JobStudy } from '../protocol/jobs.js';
import type { OverallProgress, Progress } from '../util/progress.js';
import { etaSeconds } from '../util/progress.js';
import type { Disposable } from '../util/disposable.js';

export interface JobControl {
  signal: AbortSignal;
  onProgress(progress: Progress): void;
  /** The job starts training this run (new, or one it owns since submit); the UI links to it. */
  startRun(runId: string): void;
  log(message: string): void;
}

export interface JobEvents {
  progress(jobId: string, progress: Progress, eta: number | undefined): void;
  changed(job: JobInfo): void;
  log(jobId: string, message: string): void;
}

export interface JobOptions {
  /** Runs the job already owns when submitted (rows created queued), shown with its queue place. */
  runIds?: string[];
  /**
   * Called once when the job has ended, whether it ran or was cancelled/interrupted while queued:
   * the submitter settles what it created on submit (e.g. queued runs that never started).
   */
  ended?(job: JobInfo): void;
  /** The study (a sweep submitted at once) the job belongs to. */
  study?: JobStudy;
  /**
   * Jobs with the same plan key train the same number of steps (same data, epochs, batch, nets), so
   * once one has started, a queued one's work is known and it gets a time estimate.
   */
  planKey?: string;
}

type EndState = Exclude<JobState, 'queued' | 'running'>;

interface Entry {
  info: JobInfo;
  abort: AbortController;
  lastProgressAt: number;
  work: (control: JobControl) => Promise<void>;
  ended?: (job: JobInfo) => void;
  planKey?: string;
  /** The running job's latest place in all its work (both nets). */
  overall?: OverallProgress;
}

/** Least time between two progress events of one job, so a fast loop cannot flood the UI. */
const PROGRESS_INTERVAL_MS = 200;

/**
 * Long work (an experiment) runs as a job: one at a time, the rest waiting in a FIFO queue;
 * cancellable while queued (it then never starts) or running; reporting progress.
 */
export class JobManager implements Disposable {
  private readonly jobs = new Map<string, Entry>();
  /** Ids of queued jobs, next first. */
  private readonly queue: string[] = [];
  private current: Entry | undefined;
  /** Training steps of a whole job by plan key, learnt when a job with that key reports them. */
  private readonly stepsByPlan = new Map<string, number>();
  /** The latest measured seconds per training step (validation included), for jobs not measured yet. */
  private secondsPerStep: number | undefined;

  constructor(private readonly events: JobEvents) {}

  get running(): JobInfo | undefined {
    return this.current && { ...this.current.info };
  }

  /** The running and queued jobs (their runs must not be deleted). */
  get active(): JobInfo[] {
    return this.list().filter((j) => j.state === 'running' || j.state === 'queued');
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => this.snapshot(j));
  }

  /**
   * Queues `work`; it starts at once when nothing runs, else after the jobs before it have ended.
   * The returned info is the job as submitted ('running' or 'queued' with its position).
   */
  start(title: string, work: (control: JobControl) => Promise<void>, options: JobOptions = {}): JobInfo {
    const id = randomUUID();
    const entry: Entry = {
      info: {
        id,
        title,
        state: 'queued',
        submittedAt: new Date().toISOString(),
        runIds: [...(options.runIds ?? [])],
        ...(options.study ? { study: { ...options.study } } : {}),
      },
      abort: new AbortController(),
      lastProgressAt: 0,
      work,
      ended: options.ended,
      planKey: options.planKey,
    };
    this.jobs.set(id, entry);
    this.queue.push(id);
    if (this.current) this.events.changed(this.snapshot(entry));
    else this.startNext();
    return this.snapshot(entry);
  }

  /** Cancels a queued job (it never starts) or asks the running one to stop. */
  cancel(id: string): boolean {
    const entry = this.jobs.get(id);
    if (!entry) return false;
    if (entry.info.state === 'queued') {
      this.dequeue(entry, 'cancelled');
      return true;
    }
    if (entry.info.state !== 'running') return false;
    entry.abort.abort();
    return true;
  }

  /**
   * Stops everything, keeping it resumable (the UI closed): the running job is aborted with an
   * InterruptRequest (its runs end 'interrupted'), queued jobs end 'interrupted' without starting.
   */
  interruptAll(why: string): void {
    for (const id of [...this.queue]) this.dequeue(this.jobs.get(id)!, 'interrupted');
    this.current?.abort.abort(new InterruptRequest(why));
  }

  /** Waits until no job runs or waits (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.current || this.queue.length) await new Promise((r) => setTimeout(r, 50));
  }

  /** The engine is stopping: what runs stops resumably, as in interruptAll; queued jobs never start. */
  dispose(): void {
    this.queue.length = 0;
    this.current?.abort.abort(new InterruptRequest('the engine stopped'));
  }

  private snapshot(entry: Entry): JobInfo {
    const position = this.queue.indexOf(entry.info.id);
    const info = { ...entry.info, runIds: [...entry.info.runIds] };
    // A planned job's estimate follows the latest measurement (queued ones are announced when it moved much).
    const planned = entry.overall !== undefined || entry.planKey !== undefined;
    if (planned && (info.state === 'queued' || info.state === 'running')) {
      const eta = this.estimate(entry);
      if (eta === undefined) delete info.etaSeconds;
      else info.etaSeconds = eta;
    }
    return position < 0 ? info : { ...info, queuePosition: position + 1 };
  }

  /** What a job's progress teaches: its own place in its work, a plan's size and the current speed. */
  private learn(entry: Entry, overall: OverallProgress): void {
    entry.overall = overall;
    if (entry.planKey !== undefined) this.stepsByPlan.set(entry.planKey, overall.total);
    if (overall.secondsPerStep !== undefined) this.secondsPerStep = overall.secondsPerStep;
  }

  /**
   * Seconds of work left in a job: the running job's steps still to train (of every net it trains),
   * a queued job's planned steps, at the speed measured last. Undefined while nothing has been
   * measured or the job's plan is not known yet.
   */
  private estimate(entry: Entry): number | undefined {
    const rate = entry.overall?.secondsPerStep ?? this.secondsPerStep;
    const steps = entry.overall
      ? entry.overall.total - entry.overall.done
      : entry.planKey !== undefined
        ? this.stepsByPlan.get(entry.planKey)
        : undefined;
    return rate === undefined || steps === undefined ? undefined : Math.max(0, steps) * rate;
  }

  /** Queued jobs whose estimate moved by more than a second and 2% since last told are announced again. */
  private reestimateQueue(): void {
    for (const id of this.queue) {
      const entry = this.jobs.get(id)!;
      const before = entry.info.etaSeconds;
      const after = this.estimate(entry);
      const moved =
        before === undefined || after === undefined
          ? before !== after
          : Math.abs(after - before) > Math.max(1, 0.02 * before);
      if (!moved) continue;
      if (after === undefined) delete entry.info.etaSeconds;
      else entry.info.etaSeconds = after;
      this.events.changed(this.snapshot(entry));
    }
  }

  /** Jobs behind a removed or started one moved up: clients get their new places. */
  private announceQueue(): void {
    for (const id of this.queue) this.events.changed(this.snapshot(this.jobs.get(id)!));
  }

  private dequeue(entry: Entry, state: EndState): void {
    this.queue.splice(this.queue.indexOf(entry.info.id), 1);
    this.end(entry, state);
    this.announceQueue();
  }

  private startNext(): void {
    const id = this.queue.shift();
    if (id === undefined) return;
    const entry = this.jobs.get(id)!;
    this.current = entry;
    entry.info.state = 'running';
    entry.info.startedAt = new Date().toISOString();
    const { signal } = entry.abort;
    const control: JobControl = {
      signal,
      onProgress: (progress) => {
        const now = Date.now();
        entry.info.progress = progress;
        if (progress.overall) this.learn(entry, progress.overall);
        // Without a plan (work that is not an experiment) the phase's own rate is all there is.
        const eta =
          progress.overall || entry.planKey !== undefined ? this.estimate(entry) : etaSeconds(progress);
        if (eta === undefined) delete entry.info.etaSeconds;
        else entry.info.etaSeconds = eta;
        if (now - entry.lastProgressAt < PROGRESS_INTERVAL_MS && progress.done < progress.total) return;
        entry.lastProgressAt = now;
        this.events.progress(id, progress, eta);
        this.reestimateQueue();
      },
      startRun: (runId) => {
        if (entry.info.activeRunId === runId) return;
        if (!entry.info.runIds.includes(runId)) entry.info.runIds.push(runId);
        entry.info.activeRunId = runId;
        // Clients show the run as running (a queued or interrupted row changed) while the job goes on.
        this.events.changed(this.snapshot(entry));
      },
      log: (message) => this.events.log(id, message),
    };
    this.events.changed(this.snapshot(entry));
    this.announceQueue();
    const stopped = (): EndState => (signal.reason instanceof InterruptRequest ? 'interrupted' : 'cancelled');
    // The work runs on a later tick, so the submit reply (and its 'job' event) goes out first.
    void Promise.resolve()
      .then(() => entry.work(control))
      .then(
        () => this.end(entry, signal.aborted ? stopped() : 'completed'),
        (error: unknown) =>
          this.end(
            entry,
            signal.aborted ? stopped() : 'failed',
            error instanceof Error ? error.message : String(error),
          ),
      )
      .finally(() => {
        this.current = undefined;
        this.startNext();
      });
  }

  private end(entry: Entry, state: EndState, error?: string): void {
    entry.info.state = state;
    delete entry.info.activeRunId;
    delete entry.info.etaSeconds;
    entry.info.finishedAt = new Date().toISOString();
    if (error !== undefined && state === 'failed') entry.info.error = error;
    try {
      entry.ended?.({ ...entry.info });
    } catch (settleError) {
      // Settling is bookkeeping: its failure is reported with the job, never stops the queue.
      entry.info.error = `${entry.info.error ?? ''}${entry.info.error ? '; ' : ''}${
        settleError instanceof Error ? settleError.message : String(settleError)
      }`;
    }
    this.events.changed(this.snapshot(entry));
  }
}
