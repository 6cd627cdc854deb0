import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import path from 'node:path';
import type { Disposable } from '../engine/util/disposable.js';

export interface EngineProcessOptions {
  /** Compiled engine entry (dist/engine/host/ipc-main.js). */
  entry: string;
  dataDir: string;
  samplesDir: string;
}

export interface EngineProcess extends Disposable {
  /** Gives a window its own MessagePort straight to the engine (protocol frames skip the main process). */
  connect(contents: WebContents): void;
  /** After a native folder dialog: the engine may read that folder from now on. */
  allowFolder(folder: string): void;
}

/** The engine in an Electron utility process, so training never blocks the window. */
export function startEngineProcess(options: EngineProcessOptions): EngineProcess {
  const child: UtilityProcess = utilityProcess.fork(
    options.entry,
    ['--data-dir', options.dataDir, '--samples', options.samplesDir],
    {
      serviceName: 'RANP engine',
      stdio: 'inherit',
    },
  );
  let alive = true;
  let disposing = false;
  const windows = new Set<WebContents>();
  child.on('exit', (code) => {
    alive = false;
    // The windows' ports die silently with the process: tell each window (electron/preload.cts).
    if (disposing) return;
    for (const contents of windows)
      if (!contents.isDestroyed())
        contents.send('engine-closed', `the engine process exited with code ${code}`);
  });
  return {
    connect(contents) {
      windows.add(contents);
      contents.once('destroyed', () => windows.delete(contents));
      const { port1, port2 } = new MessageChannelMain();
      child.postMessage({ kind: 'connect' }, [port1]);
      contents.postMessage('engine-port', null, [port2]);
    },
    allowFolder(folder) {
      child.postMessage({ kind: 'allow-folder', path: path.resolve(folder) });
    },
    dispose() {
      disposing = true;
      if (alive) child.kill();
    },
  };
}
