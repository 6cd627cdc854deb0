import { randomUUID } from 'node:crypto';
import { InterruptRequest } from '../experiment/interrupt.js';
import type { JobInfo, JobState } from '../protocol/jobs.js';
import type { Progress } from '../util/progress.js';
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
}

type EndState = Exclude<JobState, 'queued' | 'running'>;

interface Entry {
  info: JobInfo;
  abort: AbortController;
  lastProgressAt: number;
  work: (control: JobControl) => Promise<void>;
  ended?: (job: JobInfo) => void;
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
      },
      abort: new AbortController(),
      lastProgressAt: 0,
      work,
      ended: options.ended,
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
    return {
      ...entry.info,
      runIds: [...entry.info.runIds],
      ...(position >= 0 ? { queuePosition: position + 1 } : {}),
    };
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
        const eta = etaSeconds(progress);
        entry.info.progress = progress;
        entry.info.etaSeconds = eta;
        if (now - entry.lastProgressAt < PROGRESS_INTERVAL_MS && progress.done < progress.total) return;
        entry.lastProgressAt = now;
        this.events.progress(id, progress, eta);
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
