import type { Transport } from '../protocol/client.js';
import type { EngineHost } from './host.js';

/**
 * A transport straight into an EngineHost in the same process: the real dispatcher and handlers
 * without a socket (component tests, the CLI). Frames are copied, as a socket would.
 */
export function inProcessTransport(host: EngineHost): Transport {
  const listeners: ((data: string | ArrayBuffer) => void)[] = [];
  const closeListeners: ((reason: string) => void)[] = [];
  const deliver = (data: string | ArrayBuffer) => queueMicrotask(() => listeners.forEach((l) => l(data)));
  const connection = host.connect({
    sendText: (text) => deliver(text),
    sendBinary: (bytes) => deliver(bytes.slice().buffer),
  });
  return {
    send: (text) => void connection.receive(text),
    onMessage: (listener) => listeners.push(listener),
    onClose: (listener) => closeListeners.push(listener),
    close: () => {
      connection.dispose();
      closeListeners.forEach((l) => l('closed by the client'));
    },
  };
}
