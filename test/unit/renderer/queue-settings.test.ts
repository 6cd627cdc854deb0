import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { EngineHost } from '../../../engine/host/host.js';
import { inProcessTransport } from '../../../engine/host/in-process.js';
import { ProtocolClient, type JobInfo, type RunSummary } from '../../../engine/protocol/index.js';
import JobCard from '../../../renderer/components/JobCard.svelte';
import RunsTable from '../../../renderer/components/RunsTable.svelte';
import RunsView from '../../../renderer/views/RunsView.svelte';
import { AppState } from '../../../renderer/state.svelte.js';

// The real engine host in this process with an empty store in a temp data dir.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-queue-ui-'));
const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });

afterEach(() => cleanup());
afterAll(() => {
  host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const queuedJob: JobInfo = {
  id: 'j2',
  title: 'second',
  state: 'queued',
  submittedAt: '2026-01-01T10:00:00Z',
  queuePosition: 2,
  runIds: ['5'],
};

describe('queued and interrupted experiments', () => {
  it('a queued job shows its place and can be cancelled; an interrupted one says it is resumable', async () => {
    const onCancel = vi.fn();
    render(JobCard, { job: queuedJob, onCancel });
    expect(screen.getByText('Queued')).toBeInTheDocument();
    expect(screen.getByText('#2 in the queue')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledWith('j2');
    cleanup();
    render(JobCard, { job: { ...queuedJob, state: 'interrupted', queuePosition: undefined }, onCancel });
    expect(screen.getByText('Interrupted (resumable)')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('the run table shows a queued run with its place', () => {
    const run: RunSummary = {
      id: '5',
      name: 'second pruned',
      createdAt: '2026-01-01T10:00:00Z',
      status: 'queued',
      task: 'brats',
      net: 'unet3d-brats',
      method: 'ranp-f',
      sparsity: 0.3,
      pruned: true,
      metrics: {},
      epochsDone: 0,
      queuePosition: 1,
    };
    render(RunsTable, { runs: [run] });
    expect(screen.getByText('queued · #1 in queue')).toBeInTheDocument();
  });
});

describe("the 'when the UI closes' setting (real engine host in-process)", () => {
  it('shows the engine default and stores a change in the engine', async () => {
    const app = new AppState(new ProtocolClient(inProcessTransport(host)));
    await app.load();
    render(RunsView, { app });
    const select = screen.getByRole('combobox', { name: /When the last window closes/ }) as HTMLSelectElement;
    expect(select.value).toBe('keep-running');
    select.value = 'interrupt';
    await fireEvent.change(select);
    await vi.waitFor(() => expect(app.settings?.whenUiCloses).toBe('interrupt'));
    // A second client (another window) reads it back from the engine.
    const other = new ProtocolClient(inProcessTransport(host));
    expect(await other.request('settings.get', {})).toEqual({ whenUiCloses: 'interrupt' });
  });
});
