import { randomUUID } from 'node:crypto';
import type { JobInfo } from '../protocol/jobs.js';
import type { Progress } from '../util/progress.js';
import { etaSeconds } from '../util/progress.js';
import type { Disposable } from '../util/disposable.js';

export interface JobControl {
  signal: AbortSignal;
  onProgress(progress: Progress): void;
  /** Run ids become known while the job runs (the UI links to them). */
  addRun(runId: string): void;
  log(message: string): void;
}

export interface JobEvents {
  progress(jobId: string, progress: Progress, eta: number | undefined): void;
  changed(job: JobInfo): void;
  log(jobId: string, message: string): void;
}

/** Least time between two progress events of one job, so a fast loop cannot flood the UI. */
const PROGRESS_INTERVAL_MS = 200;

/** Long work (an experiment) runs as a job: one at a time, cancellable, reporting progress. */
export class JobManager implements Disposable {
  private readonly jobs = new Map<
    string,
    { info: JobInfo; abort: AbortController; lastProgressAt: number }
  >();

  constructor(private readonly events: JobEvents) {}

  get running(): JobInfo | undefined {
    return [...this.jobs.values()].find((j) => j.info.state === 'running')?.info;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  /** Starts `work` in the background; the returned info is the job as started. */
  start(title: string, work: (control: JobControl) => Promise<void>): JobInfo {
    const id = randomUUID();
    const abort = new AbortController();
    const entry = {
      info: { id, title, state: 'running', startedAt: new Date().toISOString(), runIds: [] } as JobInfo,
      abort,
      lastProgressAt: 0,
    };
    this.jobs.set(id, entry);
    const control: JobControl = {
      signal: abort.signal,
      onProgress: (progress) => {
        const now = Date.now();
        const eta = etaSeconds(progress);
        entry.info.progress = progress;
        entry.info.etaSeconds = eta;
        if (now - entry.lastProgressAt < PROGRESS_INTERVAL_MS && progress.done < progress.total) return;
        entry.lastProgressAt = now;
        this.events.progress(id, progress, eta);
      },
      addRun: (runId) => {
        if (entry.info.runIds.includes(runId)) return;
        entry.info.runIds.push(runId);
        // Clients list the new run (status 'running') while the job goes on.
        this.events.changed({ ...entry.info });
      },
      log: (message) => this.events.log(id, message),
    };
    this.events.changed({ ...entry.info });
    void work(control).then(
      () => this.finish(id, abort.signal.aborted ? 'cancelled' : 'finished'),
      (error: unknown) =>
        this.finish(
          id,
          abort.signal.aborted ? 'cancelled' : 'failed',
          error instanceof Error ? error.message : String(error),
        ),
    );
    return { ...entry.info };
  }

  cancel(id: string): boolean {
    const entry = this.jobs.get(id);
    if (!entry || entry.info.state !== 'running') return false;
    entry.abort.abort();
    return true;
  }

  /** Waits for the running job (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 50));
  }

  dispose(): void {
    for (const entry of this.jobs.values()) entry.abort.abort();
  }

  private finish(id: string, state: JobInfo['state'], error?: string): void {
    const entry = this.jobs.get(id);
    if (!entry) return;
    entry.info.state = state;
    entry.info.finishedAt = new Date().toISOString();
    if (error !== undefined && state === 'failed') entry.info.error = error;
    this.events.changed({ ...entry.info });
  }
}
