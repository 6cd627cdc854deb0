import { z } from 'zod';
import {
  decodeBinaryFrame,
  MAX_REQUEST_BYTES,
  ServerMessageSchema,
  type ResponseEnvelope,
} from './envelope.js';
import { ProtocolError } from './errors.js';
import { events, type EventData, type EventName } from './events.js';
import { methods, type MethodName, type ParamsOf, type ResultOf } from './methods.js';
import { volumeArray, type VolumeHeader, type VoxelArray } from './volume.js';

/** A message channel to the engine: a WebSocket in browser mode, the preload's port in Electron. */
export interface Transport {
  send(text: string): void;
  /** Text frames arrive as strings, binary frames as ArrayBuffers. */
  onMessage(handler: (data: string | ArrayBuffer) => void): void;
  onClose(handler: (reason: string) => void): void;
  close(): void;
}

interface Pending {
  method: MethodName;
  resolve(value: { result: unknown; payload?: Uint8Array }): void;
  reject(error: Error): void;
  /** Set for binary methods once the JSON part arrived. */
  result?: unknown;
}

export interface LoadedVolume {
  header: VolumeHeader;
  voxels: VoxelArray;
}

/** The renderer's only way to talk to the engine: typed requests, validated responses and events. */
export class ProtocolClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<(data: never) => void>>();
  private closedReason: string | undefined;

  private readonly closeListeners: ((reason: string) => void)[] = [];

  constructor(private readonly transport: Transport) {
    transport.onMessage((data) => this.receive(data));
    transport.onClose((reason) => {
      this.closedReason = reason;
      for (const p of this.pending.values())
        p.reject(new ProtocolError('failed', `connection to the engine closed: ${reason}`));
      this.pending.clear();
      for (const listener of this.closeListeners) listener(reason);
    });
  }

  /** Called once when the connection ends (the engine stopped or died, or the client closed it). */
  onClose(listener: (reason: string) => void): void {
    if (this.closedReason !== undefined) listener(this.closedReason);
    else this.closeListeners.push(listener);
  }

  request<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return this.send(method, params).then(({ result }) => result as ResultOf<M>);
  }

  /** volume.get: the header and its voxels as the typed array the header names. */
  async volume(params: ParamsOf<'volume.get'>): Promise<LoadedVolume> {
    const { result, payload } = await this.send('volume.get', params);
    const header = result as VolumeHeader;
    if (!payload) throw new ProtocolError('failed', `volume '${header.id}' arrived without voxels`);
    const voxels = volumeArray(header, payload);
    if (header.runs === undefined && header.zeroRuns === undefined) return { header, voxels };
    // Decoded: the header now describes the voxels, not the wire form.
    const decoded = { ...header };
    delete decoded.runs;
    delete decoded.zeroRuns;
    return { header: decoded, voxels };
  }

  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (data: never) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (data: never) => void);
  }

  close(): void {
    this.transport.close();
  }

  private send(method: MethodName, params: unknown): Promise<{ result: unknown; payload?: Uint8Array }> {
    if (this.closedReason !== undefined)
      return Promise.reject(
        new ProtocolError('failed', `connection to the engine closed: ${this.closedReason}`),
      );
    const checked = methods[method].params.safeParse(params);
    if (!checked.success)
      return Promise.reject(
        new ProtocolError('invalid-params', `${method}: ${z.prettifyError(checked.error)}`),
      );
    const id = this.nextId++;
    const text = JSON.stringify({ kind: 'request', id, method, params });
    // The engine refuses longer frames (envelope.ts; over a WebSocket it closes the connection).
    if (text.length > MAX_REQUEST_BYTES)
      return Promise.reject(
        new ProtocolError(
          'invalid-params',
          `${method}: the request is ${text.length} bytes, over the engine's limit of ${MAX_REQUEST_BYTES}`,
        ),
      );
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.transport.send(text);
    });
  }

  private receive(data: string | ArrayBuffer): void {
    if (typeof data !== 'string') {
      const { id, payload } = decodeBinaryFrame(data);
      const p = this.pending.get(id);
      if (!p || p.result === undefined) return;
      this.pending.delete(id);
      p.resolve({ result: p.result, payload });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return; // a frame that is not JSON is dropped, never thrown into the UI
    }
    const parsed = ServerMessageSchema.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.kind === 'event') this.dispatchEvent(message.event, message.data);
    else this.settle(message);
  }

  private settle(message: ResponseEnvelope): void {
    if (message.id === null) return;
    const p = this.pending.get(message.id);
    if (!p) return;
    if (!message.ok) {
      this.pending.delete(message.id);
      p.reject(new ProtocolError(message.error.code, message.error.message));
      return;
    }
    const result = methods[p.method].result.safeParse(message.result);
    if (!result.success) {
      this.pending.delete(message.id);
      p.reject(
        new ProtocolError(
          'failed',
          `${p.method}: the engine answered with an unexpected result: ${z.prettifyError(result.error)}`,
        ),
      );
      return;
    }
    if (message.binaryLength === undefined) {
      this.pending.delete(message.id);
      p.resolve({ result: result.data });
    } else {
      p.result = result.data;
    }
  }

  private dispatchEvent(name: string, data: unknown): void {
    if (!Object.hasOwn(events, name)) return;
    const event = name as EventName;
    const parsed = events[event].safeParse(data);
    if (!parsed.success) return;
    for (const listener of this.listeners.get(event) ?? []) (listener as (d: unknown) => void)(parsed.data);
  }
}
