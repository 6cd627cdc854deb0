import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { EventData, EventName } from '../protocol/events.js';
import type { EngineStatus } from '../protocol/status.js';
import { openStore, type Store } from '../store/index.js';
import { DisposableStore, toDisposable, type Disposable } from '../util/disposable.js';
import type { HostContext } from './context.js';
import { createDispatcher, type Reply } from './dispatcher.js';
import { EvaluationReports } from './evaluation-reports.js';
import { FolderGuard } from './folders.js';
import { handlers } from './handlers/index.js';
import { readSettings } from './handlers/settings.js';
import { JobManager } from './jobs.js';
import { ScoreCache } from './score-cache.js';
import { VolumeCache } from './volume-cache.js';

export interface HostOptions {
  mode: EngineStatus['mode'];
  dataDir: string;
  samplesDir: string;
  /** Extra folders the user allowed (command line, or picked in Electron's dialog). */
  allowedFolders?: string[];
  /**
   * How long the engine waits after the last client disconnected before applying the
   * 'whenUiCloses' setting, so a page reload does not interrupt a run. Default 5000 ms.
   */
  uiCloseGraceMs?: number;
}

const DEFAULT_UI_CLOSE_GRACE_MS = 5000;

/** A connected client: the host sends it replies and events. */
export interface ClientSink {
  sendText(text: string): void;
  sendBinary(data: Uint8Array): void;
}

/** The engine behind any transport: one dispatcher, one job manager, events fanned out to clients. */
export class EngineHost implements Disposable {
  readonly context: HostContext;
  private readonly clients = new Set<ClientSink>();
  private readonly dispatch: (frame: string) => Promise<Reply>;
  private readonly resources = new DisposableStore();
  private readonly uiCloseGraceMs: number;
  private uiClosedTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(options: HostOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.uiCloseGraceMs = options.uiCloseGraceMs ?? DEFAULT_UI_CLOSE_GRACE_MS;
    const folders = new FolderGuard(
      [options.samplesDir, options.dataDir, ...(options.allowedFolders ?? [])],
      // Browser mode has no folder dialog: the only way in is the start command's flag.
      options.mode === 'electron'
        ? "choose it with 'Choose folder…' on the Data page"
        : 'start the app with --allow FOLDER (e.g. npm start -- --allow ~/datasets; repeatable)',
    );
    const emit = <E extends EventName>(event: E, data: EventData<E>) =>
      this.broadcast(JSON.stringify({ kind: 'event', event, data }));
    const jobs = this.resources.add(
      new JobManager({
        progress: (jobId, progress, etaSeconds) => emit('progress', { jobId, progress, etaSeconds }),
        changed: (job) => emit('job', job),
        log: (jobId, message) =>
          emit('log', { level: 'info', message, jobId, time: new Date().toISOString() }),
      }),
    );
    let store: Store | undefined;
    const dataDir = path.resolve(options.dataDir);
    this.context = {
      mode: options.mode,
      dataDir,
      samplesDir: path.resolve(options.samplesDir),
      folders,
      jobs,
      emit,
      store: () => (store ??= this.resources.add(openStore({ dataDir }))),
      scores: this.resources.add(new ScoreCache()),
      volumes: this.resources.add(new VolumeCache()),
      evaluations: this.resources.add(new EvaluationReports()),
    };
    this.dispatch = createDispatcher(handlers, this.context);
  }

  /** Registers a client; dispose the result when it disconnects. */
  connect(client: ClientSink): Disposable & { receive(frame: string): Promise<void> } {
    this.clients.add(client);
    clearTimeout(this.uiClosedTimer);
    return {
      receive: async (frame) => {
        const reply = await this.dispatch(frame);
        client.sendText(reply.text);
        if (reply.binary) client.sendBinary(reply.binary);
      },
      ...toDisposable(() => {
        if (this.clients.delete(client) && this.clients.size === 0) this.whenLastClientLeft();
      }),
    };
  }

  /** Adds a disposable released with the host (stores, caches). */
  own<T extends Disposable>(resource: T): T {
    return this.resources.add(resource);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.uiClosedTimer);
    this.clients.clear();
    this.resources.dispose();
  }

  /** With no client back within the grace period, applies the user's 'whenUiCloses' setting. */
  private whenLastClientLeft(): void {
    clearTimeout(this.uiClosedTimer);
    // Training steps block the event loop: a reconnect that arrived during one waits in the poll
    // phase, which runs after timers; setImmediate lets it connect before the decision.
    this.uiClosedTimer = setTimeout(() => setImmediate(() => this.applyWhenUiCloses()), this.uiCloseGraceMs);
    this.uiClosedTimer.unref();
  }

  private applyWhenUiCloses(): void {
    if (this.disposed || this.clients.size > 0 || this.context.jobs.active.length === 0) return;
    try {
      if (readSettings(this.context.store()).whenUiCloses === 'interrupt')
        this.context.jobs.interruptAll(
          `the last window closed and the setting 'when the UI closes' is 'interrupt'`,
        );
    } catch (error) {
      // No client is left to tell; the runs go on, which is the safe side.
      console.error(`engine host: could not apply the 'when the UI closes' setting: ${String(error)}`);
    }
  }

  private broadcast(text: string): void {
    for (const client of this.clients) client.sendText(text);
  }
}
