/**
 * Electron utilityProcess entry: the engine behind the app window. The main process sends
 * control messages on parentPort — `{kind: 'connect'}` with a MessagePort to a window's preload,
 * `{kind: 'allow-folder', path}` after the user picked a folder in a native dialog — and the
 * renderer's protocol frames arrive on that port. Only the main process can allow folders.
 */
import { z } from 'zod';
import { resolveDataPaths } from '../store/paths.js';
import { errorReply } from './dispatcher.js';
import { EngineHost } from './host.js';
import { parseHostArgs } from './options.js';

/** The slice of Electron's utility-process API used here (Electron is not a dependency of the engine). */
interface PortMessage {
  data: unknown;
  ports: MessagePortLike[];
}
interface MessagePortLike {
  on(event: 'message', listener: (message: PortMessage) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}
interface ParentPort {
  on(event: 'message', listener: (message: PortMessage) => void): void;
  postMessage(message: unknown): void;
}

const ControlSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('connect') }),
  z.object({ kind: z.literal('allow-folder'), path: z.string().min(1) }),
]);

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort)
  throw new Error('engine/host/ipc-main must run in an Electron utility process (no process.parentPort)');

const args = parseHostArgs(process.argv.slice(2));
const host = new EngineHost({
  mode: 'electron',
  dataDir: resolveDataPaths({ dataDir: args.dataDir }).dataDir,
  samplesDir: args.samplesDir,
  allowedFolders: args.allow,
});

parentPort.on('message', ({ data, ports }) => {
  const control = ControlSchema.safeParse(data);
  if (!control.success) return;
  if (control.data.kind === 'allow-folder') {
    host.context.folders.allow(control.data.path);
    return;
  }
  const port = ports[0];
  if (!port) return;
  const connection = host.connect({
    sendText: (text) => port.postMessage(text),
    sendBinary: (bytes) =>
      port.postMessage(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
  });
  port.on('message', ({ data: frame }) => {
    if (typeof frame === 'string') void connection.receive(frame);
    else port.postMessage(errorReply(null, 'invalid-message', 'requests must be JSON text').text);
  });
  port.on('close', () => connection.dispose());
  port.start();
});
parentPort.postMessage({ kind: 'ready' });
