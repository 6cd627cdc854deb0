import {
  BRIDGE_GLOBAL,
  ProtocolClient,
  type RanpBridge,
  type Transport,
} from '../../engine/protocol/index.js';

/** The engine connection: Electron's preload bridge when present, else the local WebSocket. */
export function connectEngine(): ProtocolClient {
  const bridge = electronBridge();
  return new ProtocolClient(bridge ? bridgeTransport(bridge) : webSocketTransport(sessionToken()));
}

export function electronBridge(): RanpBridge | undefined {
  return (window as unknown as Record<string, RanpBridge | undefined>)[BRIDGE_GLOBAL];
}

/** The token arrives in the URL fragment (#token=…); kept for reloads of this tab only. */
export function sessionToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('ranp-token', fromHash);
    return fromHash;
  }
  return sessionStorage.getItem('ranp-token') ?? '';
}

function bridgeTransport(bridge: RanpBridge): Transport {
  return {
    send: (t) => bridge.send(t),
    onMessage: (l) => bridge.onMessage(l),
    onClose: (l) => bridge.onClose(l),
    close: () => undefined,
  };
}

function webSocketTransport(token: string): Transport {
  const url = `ws://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const queue: string[] = [];
  socket.addEventListener('open', () => queue.splice(0).forEach((t) => socket.send(t)));
  return {
    send: (text) => (socket.readyState === WebSocket.OPEN ? socket.send(text) : queue.push(text)),
    onMessage: (listener) =>
      socket.addEventListener('message', (e: MessageEvent<string | ArrayBuffer>) => listener(e.data)),
    onClose: (listener) =>
      socket.addEventListener('close', (e) =>
        listener(
          e.code === 1006
            ? 'the engine is not reachable (stopped, or the link is missing its session token)'
            : `closed (${e.code})`,
        ),
      ),
    close: () => socket.close(),
  };
}
