import { cleanup, render, screen } from '@testing-library/svelte';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineHost } from '../../../engine/host/host.js';
import { inProcessTransport } from '../../../engine/host/in-process.js';
import { ProtocolClient, type EngineStatus } from '../../../engine/protocol/index.js';
import App from '../../../renderer/App.svelte';
import SlowBackendNote from '../../../renderer/components/SlowBackendNote.svelte';
import NewExperiment from '../../../renderer/views/NewExperiment.svelte';
import { AppState } from '../../../renderer/state.svelte.js';

// The real engine host in this process, with the native kernels off: it selects tfjs's cpu backend.
process.env.RANP_NATIVE = '0';
delete process.env.RANP_BACKEND;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-slow-'));
const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });
const client = () => new ProtocolClient(inProcessTransport(host));
const NOTICE =
  "running on tfjs's JavaScript kernels: training steps take 40-175× as long as on the native oneDNN kernels (disabled by RANP_NATIVE=0). To fix: unset RANP_NATIVE";

afterEach(() => cleanup());
afterAll(() => {
  host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the app on tfjs JavaScript kernels', () => {
  it('says so in the header, with what it costs and the fix on hover', async () => {
    const app = new AppState(client());
    await app.load();
    render(App, { app });
    const badge = await screen.findByTestId('slow-backend');
    expect(badge.textContent).toBe('⚠ slow: JavaScript kernels');
    expect(badge.getAttribute('title')).toBe(NOTICE);
  });

  it('says so in full on the experiment form', async () => {
    render(NewExperiment, { client: client(), dataset: null, onStarted: () => {}, onChooseData: () => {} });
    const note = await screen.findByTestId('slow-backend');
    expect(note.textContent?.replace(/\s+/g, ' ').trim()).toBe(`Training will be slow. R${NOTICE.slice(1)}`);
  });

  it('says nothing on any other backend', async () => {
    const status = (name: string): EngineStatus => ({
      version: '0',
      mode: 'test',
      backend: { name, details: { tfjs: 'cpu', native: true, why: 'chosen: oneDNN' } },
      dataDir,
      samplesDir: dataDir,
      available: {},
    });
    const fake = (name: string) => ({ request: async () => status(name) }) as unknown as ProtocolClient;
    render(SlowBackendNote, { client: fake('native') });
    render(SlowBackendNote, { client: fake('cpu') });
    // The cpu one has answered, and so has the native one, which shows nothing.
    expect((await screen.findAllByTestId('slow-backend')).length).toBe(1);
  });
});
