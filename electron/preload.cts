/**
 * The preload (sandboxed, so CommonJS and no local imports): exposes `window.ranp`, a small
 * bridge that carries protocol frames over a MessagePort straight to the engine process and
 * opens the native folder dialog. Nothing else of Electron or Node reaches the page. The request
 * size limit is the ProtocolClient's (engine/protocol/client.ts) and the engine's; the bridge
 * only carries text.
 */
import type { RanpBridge } from '../engine/protocol/bridge.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS
const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron');

let port: import('electron').RendererMessagePort | undefined;
const queued: string[] = [];
const messageListeners: ((data: string | ArrayBuffer) => void)[] = [];
const closeListeners: ((reason: string) => void)[] = [];
let closedReason: string | undefined;

ipcRenderer.on('engine-port', (event) => {
  if (closedReason !== undefined) return;
  port = event.ports[0];
  if (!port) return;
  port.onmessage = (e) => {
    if (typeof e.data === 'string' || e.data instanceof ArrayBuffer)
      for (const l of messageListeners) l(e.data);
  };
  port.start();
  for (const text of queued.splice(0)) port.postMessage(text);
});

// Sent by electron/engine-process.ts when the engine process exits: every close listener hears
// it once (the app then says the engine stopped instead of failing request by request).
ipcRenderer.on('engine-closed', (_event, reason: unknown) => {
  if (closedReason !== undefined) return;
  closedReason = typeof reason === 'string' && reason ? reason : 'the engine process stopped';
  port?.close();
  port = undefined;
  queued.length = 0;
  for (const listener of closeListeners.splice(0)) listener(closedReason);
});

const bridge: RanpBridge = {
  send(text) {
    if (typeof text !== 'string') throw new Error('ranp bridge: requests are JSON text');
    if (closedReason !== undefined) throw new Error(`ranp bridge: the engine is gone (${closedReason})`);
    if (port) port.postMessage(text);
    else queued.push(text);
  },
  onMessage(listener) {
    messageListeners.push(listener);
  },
  onClose(listener) {
    if (closedReason !== undefined) listener(closedReason);
    else closeListeners.push(listener);
  },
  async pickFolder() {
    const folder = await ipcRenderer.invoke('pick-folder');
    return typeof folder === 'string' ? folder : null;
  },
  platform: process.platform,
};

contextBridge.exposeInMainWorld('ranp', bridge);
