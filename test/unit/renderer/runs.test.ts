import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import RunsTable from '../../../renderer/components/RunsTable.svelte';
import JobCard from '../../../renderer/components/JobCard.svelte';
import type { JobInfo, RunSummary } from '../../../engine/protocol/index.js';

// Unmount between tests (vitest globals are off, so the library cannot register this itself).
afterEach(() => cleanup());

const run = (id: string, name: string, dice: number, createdAt: string, pruned: boolean): RunSummary => ({
  id,
  name,
  createdAt,
  status: 'completed',
  task: 'brats',
  net: 'unet3d-brats',
  method: pruned ? 'ranp-f' : 'none',
  sparsity: pruned ? 0.78 : 0,
  pruned,
  metrics: { 'final dice mean': dice, 'final dice et': dice / 2 },
  resources: { flops: pruned ? 1e9 : 4e9, params: 1, memoryMB: 1 },
});
const runs = [
  run('1', 'alpha unpruned', 0.7, '2026-01-01T10:00:00Z', false),
  run('2', 'alpha pruned', 0.65, '2026-01-02T10:00:00Z', true),
  run('3', 'beta pruned', 0.8, '2026-01-03T10:00:00Z', true),
];
const names = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.querySelectorAll('td')[1]?.textContent);

describe('RunsTable', () => {
  it('lists newest first, shows the mean result, sorts by a clicked column both ways', async () => {
    render(RunsTable, { runs });
    expect(names()).toEqual(['beta pruned', 'alpha pruned', 'alpha unpruned']);
    expect(screen.getByRole('button', { name: /final dice mean/ })).toBeInTheDocument();
    await fireEvent.click(screen.getByRole('button', { name: /final dice mean/ }));
    expect(names()).toEqual(['alpha pruned', 'alpha unpruned', 'beta pruned']);
    await fireEvent.click(screen.getByRole('button', { name: /final dice mean/ }));
    expect(names()).toEqual(['beta pruned', 'alpha unpruned', 'alpha pruned']);
  });

  it('filters by text and reports how many runs match', async () => {
    render(RunsTable, { runs });
    await fireEvent.input(screen.getByRole('searchbox'), { target: { value: 'unpruned' } });
    expect(names()).toEqual(['alpha unpruned']);
    expect(screen.getByText('1 of 3 runs')).toBeInTheDocument();
  });

  it('selects runs for comparison with their checkboxes', async () => {
    render(RunsTable, { runs, selected: [] });
    const box = screen.getByRole('checkbox', { name: 'Compare alpha pruned' }) as HTMLInputElement;
    await fireEvent.click(box);
    expect(box.checked).toBe(true);
    expect(box.closest('tr')?.classList.contains('selected')).toBe(true);
  });
});

describe('JobCard', () => {
  const job: JobInfo = {
    id: 'j1',
    title: 'RANP-f 78%',
    state: 'running',
    startedAt: '2026-01-01T10:00:00Z',
    runIds: [],
    progress: {
      phase: 'pruned: epoch 2/4',
      done: 30,
      total: 120,
      elapsedSeconds: 60,
      figures: { loss: 0.4321 },
    },
    etaSeconds: 180,
  };

  it('shows phase, progress, time left and figures, and cancels', async () => {
    const onCancel = vi.fn();
    render(JobCard, { job, onCancel });
    expect(screen.getByText('pruned: epoch 2/4')).toBeInTheDocument();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByText('time left: 3:00')).toBeInTheDocument();
    expect(screen.getByText('loss 0.432')).toBeInTheDocument();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledWith('j1');
  });

  it('shows the error of a failed job and no cancel button', () => {
    render(JobCard, { job: { ...job, state: 'failed', error: 'layer enc0 emptied' }, onCancel: () => {} });
    expect(screen.getByText('Failed')).toBeInTheDocument();
    expect(screen.getByText('layer enc0 emptied')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });
});
