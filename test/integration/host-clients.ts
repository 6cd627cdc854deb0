// Real WebSocket clients of a real in-process engine host (browser server on 127.0.0.1), for the
// queue, UI-close and two-client tests.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { EngineHost, type HostOptions } from '../../engine/host/host.js';
import { startBrowserServer, type BrowserServer } from '../../engine/host/http-server.js';
import {
  ProtocolClient,
  type EventData,
  type EventName,
  type ExperimentConfigInput,
  type JobInfo,
} from '../../engine/protocol/index.js';

export const SAMPLES_DIR = path.resolve('assets/samples');

/**
 * A tiny experiment on the bundled BraTS samples: an 8³ crop, a quarter-width U-Net, one sample per
 * epoch, so an epoch takes about a second on 2 cores.
 */
export function tinyExperiment({
  epochs = 1,
  ...top
}: Pick<ExperimentConfigInput, 'name' | 'trainUnpruned'> & { epochs?: number } = {}): ExperimentConfigInput {
  return {
    task: 'brats',
    data: path.join(SAMPLES_DIR, 'brats'),
    net: 'unet3d-brats',
    inputSize: [8, 8, 8],
    width: 0.25,
    trainUnpruned: false,
    prune: { method: 'ranp-f', sparsity: 0.3, lambda: 11, scoringSamples: 1 },
    train: { epochs, batchSize: 1, samplesPerEpoch: 1 },
    ...top,
  };
}

export interface TestEngine {
  host: EngineHost;
  server: BrowserServer;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestEngine(options: Partial<HostOptions> = {}): Promise<TestEngine> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-host-jobs-'));
  const host = new EngineHost({ mode: 'test', dataDir, samplesDir: SAMPLES_DIR, ...options });
  const server = await startBrowserServer({ host });
  return {
    host,
    server,
    dataDir,
    stop: async () => {
      await server.close();
      host.context.jobs.dispose();
      await host.context.jobs.idle();
      host.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestClient {
  client: ProtocolClient;
  socket: WebSocket;
  /** Every event received so far, in order. */
  events: { event: EventName; data: EventData<EventName> }[];
  /** Closes the socket and resolves once the server side has seen it close. */
  close(): Promise<void>;
}

/** A ProtocolClient over a real WebSocket (the `ws` package standing in for the browser's). */
export async function connectClient(server: BrowserServer): Promise<TestClient> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, {
    headers: { Origin: `http://127.0.0.1:${server.port}` },
  });
  socket.binaryType = 'arraybuffer';
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const client = new ProtocolClient({
    send: (text) => socket.send(text),
    onMessage: (listener) =>
      socket.on('message', (data, isBinary) =>
        listener(isBinary ? (data as ArrayBuffer) : Buffer.from(data as ArrayBuffer).toString('utf8')),
      ),
    onClose: (listener) => socket.on('close', (code) => listener(`closed (${code})`)),
    close: () => socket.close(),
  });
  const events: TestClient['events'] = [];
  for (const event of ['job', 'progress', 'log'] as const)
    client.on(event, (data) => events.push({ event, data }));
  return {
    client,
    socket,
    events,
    close: () =>
      new Promise((resolve) => {
        socket.once('close', () => setTimeout(resolve, 20));
        socket.close();
      }),
  };
}

/** The last 'job' event of `jobId` that `client` received. */
export function lastJobEvent(client: TestClient, jobId: string): JobInfo | undefined {
  return client.events
    .filter((e): e is { event: 'job'; data: JobInfo } => e.event === 'job')
    .map((e) => e.data)
    .filter((j) => j.id === jobId)
    .at(-1);
}

/** Polls `check` every 100 ms until it returns a value other than undefined (at most `ms`). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 60_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
