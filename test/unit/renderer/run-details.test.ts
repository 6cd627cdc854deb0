import { cleanup, render, screen, within } from '@testing-library/svelte';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { EngineHost } from '../../../engine/host/host.js';
import { inProcessTransport } from '../../../engine/host/in-process.js';
import { ProtocolClient } from '../../../engine/protocol/index.js';
import { openStore } from '../../../engine/store/index.js';
import RunDetails from '../../../renderer/components/RunDetails.svelte';

afterEach(() => cleanup());

// The real engine host in this process over a real SQLite store: one run stored with an
// environment (the shape engine/experiment/run-environment.ts records), one failed without one.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-run-details-'));
const store = openStore({ dataDir });
const environment = {
  backend: { name: 'native', nativeKernels: true, packages: { '@ranp/native': '0.1.0' } },
  native: { loaded: true, why: null, oneDnnVersion: '2.6.3', isa: 'avx512_core_bf16', threads: 2 },
  threads: { ompNumThreads: null },
  data: { data: { root: '/data/shapenet', digest: 'ab'.repeat(32), fileCount: 84, totalBytes: 989828 } },
};
const withEnvironment = store.createRun({
  task: 'prune',
  dataset: 'shapenet',
  net: 'unet3d-shapenet',
  method: 'ranp-f',
  sparsity: 0.5,
  lambda: 11,
  config: { net: 'unet3d-shapenet' },
  backend: 'native',
  environment,
  status: 'running',
});
store.updateRunStatus(withEnvironment.id, 'completed');
const without = store.createRun({ task: 'train', net: 'unet3d-shapenet', config: {} });
store.updateRunStatus(without.id, 'failed', { error: 'every weight score is 0 (as stored)' });
store.dispose();
const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });
afterAll(() => {
  host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('RunDetails (real engine host and store)', () => {
  it("shows the run's λ, backend and every environment entry, the data fingerprint included", async () => {
    const client = new ProtocolClient(inProcessTransport(host));
    render(RunDetails, { client, runId: String(withEnvironment.id) });
    const table = await vi.waitFor(() => screen.getByRole('table'));
    const value = (key: string) =>
      within(table).getByRole('rowheader', { name: key }).nextElementSibling?.textContent;
    expect(value('backend.name')).toBe('native');
    expect(value('backend.packages.@ranp/native')).toBe('0.1.0');
    expect(value('native.isa')).toBe('avx512_core_bf16');
    expect(value('native.threads')).toBe('2');
    expect(value('native.why')).toBe('—');
    expect(value('data.data.digest')).toBe('ab'.repeat(32));
    expect(value('data.data.fileCount')).toBe('84');
    expect(within(table).getAllByRole('row')).toHaveLength(13); // one per leaf (3 backend, 5 native, 1 threads, 4 data) of the stored object
    expect(screen.getByText(/backend native/)).toBeInTheDocument();
    expect(screen.getByText(/λ 11/)).toBeInTheDocument();
  });

  it("shows a failed run's reason, and says so when a run has no environment recorded", async () => {
    const client = new ProtocolClient(inProcessTransport(host));
    render(RunDetails, { client, runId: String(without.id) });
    await vi.waitFor(() => expect(screen.getByText(/No environment recorded/)).toBeInTheDocument());
    expect(screen.getByText('failed: every weight score is 0 (as stored)')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
