// The Electron preload, compiled by the real TypeScript compiler and run as Electron runs a
// sandboxed preload (a function of require/process, where require knows only 'electron'). Electron
// itself cannot run here: ipcRenderer is a stand-in, a real EventEmitter with invoke(); the engine
// port is a real MessageChannel (node:worker_threads).
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { runInNewContext } from 'node:vm';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { RanpBridge } from '../../../engine/protocol/bridge.js';
import { ProtocolClient } from '../../../engine/protocol/client.js';

function loadPreload(): { bridge: RanpBridge; ipc: EventEmitter } {
  const source = readFileSync('electron/preload.cts', 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const ipc = Object.assign(new EventEmitter(), { invoke: async () => '/picked' });
  let exposed: RanpBridge | undefined;
  const electron = {
    ipcRenderer: ipc,
    contextBridge: { exposeInMainWorld: (_name: string, api: RanpBridge) => (exposed = api) },
  };
  const sandboxRequire = (name: string) => {
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require '${name}'`);
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(outputText, { require: sandboxRequire, process, module, exports: module.exports });
  if (!exposed) throw new Error('the preload exposed nothing');
  return { bridge: exposed, ipc };
}

/** What electron/engine-process.ts sends when the engine process exits. */
function engineExits(ipc: EventEmitter, code: number): void {
  ipc.emit('engine-closed', {}, `the engine process exited with code ${code}`);
}

describe('Electron preload (sandboxed run, EventEmitter ipcRenderer stand-in: Electron cannot run here)', () => {
  it("calls every onClose listener once with the engine's exit reason, late ones at once", () => {
    const { bridge, ipc } = loadPreload();
    const heard: string[] = [];
    bridge.onClose((reason) => heard.push(`first: ${reason}`));
    bridge.onClose((reason) => heard.push(`second: ${reason}`));
    expect(heard).toEqual([]);
    engineExits(ipc, 1);
    engineExits(ipc, 2);
    bridge.onClose((reason) => heard.push(`late: ${reason}`));
    expect(heard).toEqual([
      'first: the engine process exited with code 1',
      'second: the engine process exited with code 1',
      'late: the engine process exited with code 1',
    ]);
    expect(() => bridge.send('{}')).toThrow(/the engine is gone \(the engine process exited with code 1\)/);
  });

  it('queues frames until the engine port arrives, then carries them both ways over it', async () => {
    const { bridge, ipc } = loadPreload();
    const received: (string | ArrayBuffer)[] = [];
    bridge.onMessage((data) => received.push(data));
    bridge.send('{"early":1}');
    const { port1: enginePort, port2 } = new MessageChannel();
    const atEngine: unknown[] = [];
    enginePort.on('message', (m) => atEngine.push(m));
    ipc.emit('engine-port', { ports: [port2 as MessagePort] });
    bridge.send('{"late":2}');
    enginePort.postMessage('{"reply":3}');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(atEngine).toEqual(['{"early":1}', '{"late":2}']);
    expect(received).toEqual(['{"reply":3}']);
    expect(await bridge.pickFolder()).toBe('/picked');
    enginePort.close();
  });

  it("makes the app's ProtocolClient reject the pending request and report the engine's death", async () => {
    const { bridge, ipc } = loadPreload();
    // renderer/api/connect.ts wires the bridge into the client this way.
    const client = new ProtocolClient({
      send: (t) => bridge.send(t),
      onMessage: (l) => bridge.onMessage(l),
      onClose: (l) => bridge.onClose(l),
      close: () => undefined,
    });
    const closed: string[] = [];
    client.onClose((reason) => closed.push(reason));
    const pending = client.request('engine.status', {});
    engineExits(ipc, 134);
    await expect(pending).rejects.toThrow(
      'connection to the engine closed: the engine process exited with code 134',
    );
    expect(closed).toEqual(['the engine process exited with code 134']);
    await expect(client.request('jobs.list', {})).rejects.toThrow(/connection to the engine closed/);
  }, 10_000);
});
