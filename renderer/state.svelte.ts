import type {
  DatasetReport,
  EngineSettings,
  EngineStatus,
  JobInfo,
  ProtocolClient,
  RunSummary,
  WorkStatus,
} from '../engine/protocol/index.js';

export type ViewName = 'data' | 'experiment' | 'runs' | 'compare';

/** Application state shared by the views; everything else is local to a view. */
export class AppState {
  view = $state<ViewName>('data');
  status = $state<EngineStatus | null>(null);
  connectionError = $state<string | null>(null);
  dataset = $state<DatasetReport | null>(null);
  jobs = $state<JobInfo[]>([]);
  runs = $state<RunSummary[]>([]);
  runsLoaded = $state(false);
  runsError = $state<string | null>(null);
  compareIds = $state<string[]>([]);
  /** A dataset folder restored from the URL or local storage, until the engine has checked it again. */
  restoringDataset = $state<string | undefined>(undefined);
  /** The engine's own settings (kept in its store); null until loaded. */
  settings = $state<EngineSettings | null>(null);

  constructor(readonly client: ProtocolClient) {
    // The engine is a separate process: if it dies, say so instead of failing request by request.
    client.onClose((reason) => {
      this.connectionError = `The connection to the engine closed (${reason}). If the engine stopped, start it again and open (or paste here) the address it prints: stored runs and finished epochs are kept, and an interrupted training run can be resumed.`;
    });
    client.on('job', (job) => {
      const known = this.jobs.find((j) => j.id === job.id);
      const changed =
        known?.state !== job.state ||
        known.activeRunId !== job.activeRunId ||
        known.runIds.length !== job.runIds.length;
      this.upsertJob(job);
      // The job moved to another run, or started or ended: the stored runs' statuses changed.
      if (changed) void this.refreshRuns();
    });
    client.on('progress', ({ jobId, progress, etaSeconds }) => {
      const job = this.jobs.find((j) => j.id === jobId);
      if (job) {
        job.progress = progress;
        job.etaSeconds = etaSeconds;
      }
    });
  }

  /** First contact: engine status, running jobs and the stored runs (so a reload finds everything). */
  async load(): Promise<void> {
    try {
      this.status = await this.client.request('engine.status', {});
      this.jobs = (await this.client.request('jobs.list', {})).jobs;
      this.settings = await this.client.request('settings.get', {});
    } catch (error) {
      this.connectionError ??= error instanceof Error ? error.message : String(error);
      return;
    }
    await this.refreshRuns();
  }

  /** Brings back the dataset a reload or a link named: checked again, dropped if it no longer checks out. */
  async restoreDataset(path: string): Promise<void> {
    this.restoringDataset = path;
    try {
      const report = await this.client.request('datasets.check', { path });
      if (!this.dataset && report.ok) this.dataset = report;
    } catch {
      // Gone or no longer allowed: the Data section says so when it is chosen again.
    } finally {
      this.restoringDataset = undefined;
    }
  }

  async refreshRuns(): Promise<void> {
    try {
      this.runs = (await this.client.request('runs.list', {})).runs;
      this.runsError = null;
    } catch (error) {
      this.runsError = error instanceof Error ? error.message : String(error);
    } finally {
      this.runsLoaded = true;
    }
  }

  async changeSettings(change: Partial<EngineSettings>): Promise<void> {
    this.settings = await this.client.request('settings.set', change);
  }

  /** What the job events say about runs now, before the next run list arrives: the run each job trains. */
  get liveStatus(): Record<string, WorkStatus> {
    return Object.fromEntries(
      this.jobs.flatMap((j) => (j.state === 'running' && j.activeRunId ? [[j.activeRunId, 'running']] : [])),
    );
  }

  upsertJob(job: JobInfo): void {
    const index = this.jobs.findIndex((j) => j.id === job.id);
    if (index >= 0) this.jobs[index] = job;
    else this.jobs = [job, ...this.jobs];
  }
}
