import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { MAX_REQUEST_BYTES } from '../protocol/envelope.js';
import { CONTENT_SECURITY_POLICY } from '../protocol/security.js';
import type { Disposable } from '../util/disposable.js';
import { errorReply } from './dispatcher.js';
import type { EngineHost } from './host.js';

/** Browser mode only ever listens on loopback. */
export const LOOPBACK = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface BrowserServerOptions {
  host: EngineHost;
  /** Built renderer (dist/renderer); without it only the WebSocket is served. */
  staticDir?: string;
  port?: number;
  /** Per-session secret the page must present to open the WebSocket; random when absent. */
  token?: string;
}

export interface BrowserServer extends Disposable {
  port: number;
  token: string;
  /** The page to open: the token travels in the fragment, which browsers never send over the network. */
  url: string;
  close(): Promise<void>;
}

export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Serves the renderer and the protocol WebSocket (path /ws?token=…) on 127.0.0.1. */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? newSessionToken();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  const server: Server = createServer((req, res) => void serveStatic(req, res, options.staticDir));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('browser server: no TCP address after listen');
  const port = address.port;

  server.on('upgrade', (req, socket, head) => {
    const refusal = refuseUpgrade(req, port, token);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => attach(ws, options.host));
  });

  const close = () =>
    new Promise<void>((resolve) => {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    port,
    token,
    url: `http://${LOOPBACK}:${port}/#token=${token}`,
    close,
    dispose: () => void close(),
  };
}

/** Why a WebSocket upgrade is refused (status line), or undefined to accept it. */
export function refuseUpgrade(req: IncomingMessage, port: number, token: string): string | undefined {
  const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
  if (url.pathname !== '/ws') return '404 Not Found';
  // The Host check defeats DNS rebinding; the Origin check, other sites' pages; the token, other local users and apps.
  if (req.headers.host !== `${LOOPBACK}:${port}`) return '403 Forbidden';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${LOOPBACK}:${port}`) return '403 Forbidden';
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return '401 Unauthorized';
  return undefined;
}

function attach(ws: WebSocket, host: EngineHost): void {
  const connection = host.connect({
    sendText: (text) => ws.readyState === ws.OPEN && ws.send(text),
    sendBinary: (data) => ws.readyState === ws.OPEN && ws.send(data, { binary: true }),
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    // Requests are JSON text only; a binary frame gets an error response like any malformed message.
    if (isBinary) ws.send(errorReply(null, 'invalid-message', 'binary frames are not requests').text);
    else void connection.receive(rawToString(data));
  });
  ws.on('close', () => connection.dispose());
  ws.on('error', () => connection.dispose());
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  staticDir: string | undefined,
): Promise<void> {
  res.setHeader('Content-Security-Policy', `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  if (!staticDir) {
    res
      .writeHead(404, { 'Content-Type': 'text/plain' })
      .end('The renderer is not built (run `npm run build`).');
    return;
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const root = path.resolve(staticDir);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  }
}
