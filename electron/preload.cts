/**
 * The preload (sandboxed, so CommonJS and no local imports): exposes `window.ranp`, a small
 * bridge that carries protocol frames over a MessagePort straight to the engine process and
 * opens the native folder dialog. Nothing else of Electron or Node reaches the page.
 */
import type { RanpBridge } from '../engine/protocol/bridge.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS
const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron');

/** Same limit as the engine's (engine/protocol/envelope.ts MAX_REQUEST_BYTES); checked here too to fail early. */
const MAX_REQUEST_BYTES = 256 * 1024;

let port: import('electron').RendererMessagePort | undefined;
const queued: string[] = [];
const messageListeners: ((data: string | ArrayBuffer) => void)[] = [];
const closeListeners: ((reason: string) => void)[] = [];

ipcRenderer.on('engine-port', (event) => {
  port = event.ports[0];
  if (!port) return;
  port.onmessage = (e) => {
    if (typeof e.data === 'string' || e.data instanceof ArrayBuffer)
      for (const l of messageListeners) l(e.data);
  };
  port.start();
  for (const text of queued.splice(0)) port.postMessage(text);
});

const bridge: RanpBridge = {
  send(text) {
    if (typeof text !== 'string' || text.length > MAX_REQUEST_BYTES)
      throw new Error('ranp bridge: requests are JSON text up to 256 KiB');
    if (port) port.postMessage(text);
    else queued.push(text);
  },
  onMessage(listener) {
    messageListeners.push(listener);
  },
  onClose(listener) {
    closeListeners.push(listener);
  },
  async pickFolder() {
    const folder = await ipcRenderer.invoke('pick-folder');
    return typeof folder === 'string' ? folder : null;
  },
  platform: process.platform,
};

contextBridge.exposeInMainWorld('ranp', bridge);
