/**
 * What Electron's preload exposes to the renderer as `window.ranp` (contextBridge). Frames are
 * the same protocol frames as over the WebSocket; the engine validates every one of them.
 */
export interface RanpBridge {
  send(text: string): void;
  onMessage(listener: (data: string | ArrayBuffer) => void): void;
  onClose(listener: (reason: string) => void): void;
  /** Native folder dialog; the picked folder is also allowed in the engine. null when cancelled. */
  pickFolder(): Promise<string | null>;
  platform: string;
}

export const BRIDGE_GLOBAL = 'ranp';
