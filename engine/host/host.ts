import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { EventData, EventName } from '../protocol/events.js';
import type { EngineStatus } from '../protocol/status.js';
import { openStore, type Store } from '../store/index.js';
import { DisposableStore, toDisposable, type Disposable } from '../util/disposable.js';
import type { HostContext } from './context.js';
import { createDispatcher, type Reply } from './dispatcher.js';
import { FolderGuard } from './folders.js';
import { handlers } from './handlers/index.js';
import { JobManager } from './jobs.js';
import { ScoreCache } from './score-cache.js';

export interface HostOptions {
  mode: EngineStatus['mode'];
  dataDir: string;
  samplesDir: string;
  /** Extra folders the user allowed (command line, or picked in Electron's dialog). */
  allowedFolders?: string[];
}

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

  constructor(options: HostOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    const folders = new FolderGuard([options.samplesDir, options.dataDir, ...(options.allowedFolders ?? [])]);
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
    };
    this.dispatch = createDispatcher(handlers, this.context);
  }

  /** Registers a client; dispose the result when it disconnects. */
  connect(client: ClientSink): Disposable & { receive(frame: string): Promise<void> } {
    this.clients.add(client);
    return {
      receive: async (frame) => {
        const reply = await this.dispatch(frame);
        client.sendText(reply.text);
        if (reply.binary) client.sendBinary(reply.binary);
      },
      ...toDisposable(() => this.clients.delete(client)),
    };
  }

  /** Adds a disposable released with the host (stores, caches). */
  own<T extends Disposable>(resource: T): T {
    return this.resources.add(resource);
  }

  dispose(): void {
    this.clients.clear();
    this.resources.dispose();
  }

  private broadcast(text: string): void {
    for (const client of this.clients) client.sendText(text);
  }
}
