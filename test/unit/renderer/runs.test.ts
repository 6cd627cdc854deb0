import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import RunsTable from '../../../renderer/components/RunsTable.svelte';
import JobCard from '../../../renderer/components/JobCard.svelte';
import type { JobInfo, RunSummary } from '../../../engine/protocol/index.js';

// Unmount between tests (vitest globals are off, so the library cannot register this itself).
afterEach(() => cleanup());

const run = (
  id: string,
  name: string,
  dice: number,
  createdAt: string,
  pruned: boolean,
  extra: Partial<RunSummary> = {},
): RunSummary => ({
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
  headline: { metric: 'dice mean', best: { value: dice, epoch: 1 }, last: { value: dice / 2, epoch: 2 } },
  epochs: 2,
  epochsDone: 2,
  inputSize: [16, 16, 16],
  ...extra,
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
    .map((r) => r.querySelector('td[data-column="name"]')?.textContent?.trim());
const cell = (runId: string, column: string) =>
  document.querySelector(`tr[data-run="${runId}"] td[data-column="${column}"]`)?.textContent?.trim();

describe('RunsTable', () => {
  afterEach(() => localStorage.clear());

  it('lists newest first, shows the best and last headline metric with their epochs, sorts both ways', async () => {
    render(RunsTable, { runs });
    expect(names()).toEqual(['beta pruned', 'alpha pruned', 'alpha unpruned']);
    expect(cell('3', 'best')).toBe('0.800 (epoch 1)');
    expect(cell('3', 'last')).toBe('0.400 (epoch 2)');
    expect(cell('3', 'input')).toBe('16³');
    expect(cell('3', 'epochs')).toBe('2/2');
    const best = screen.getByRole('button', { name: /^Best dice mean/ });
    await fireEvent.click(best);
    expect(names()).toEqual(['beta pruned', 'alpha unpruned', 'alpha pruned']);
    await fireEvent.click(best);
    expect(names()).toEqual(['alpha pruned', 'alpha unpruned', 'beta pruned']);
  });

  it('shows each task its own headline metric when the list mixes tasks, and filters by task, method and status', async () => {
    const shape = run('4', 'shape pruned', 0, '2026-01-04T10:00:00Z', true, {
      task: 'shapenet',
      net: 'unet3d-shapenet',
      method: 'random',
      status: 'cancelled',
      metrics: {},
      headline: { metric: 'class mIoU', best: { value: 0.3425, epoch: 3 }, last: { value: 0.31, epoch: 4 } },
    });
    render(RunsTable, { runs: [...runs, shape] });
    expect(screen.getByRole('button', { name: /^Best/ }).textContent?.trim()).toBe('Best');
    expect(cell('4', 'best')).toBe('0.343 (epoch 3) · class mIoU');
    expect(cell('2', 'best')).toBe('0.650 (epoch 1) · dice mean');
    await fireEvent.change(screen.getByRole('combobox', { name: 'Task' }), { target: { value: 'shapenet' } });
    expect(names()).toEqual(['shape pruned']);
    await fireEvent.change(screen.getByRole('combobox', { name: 'Task' }), { target: { value: '' } });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Method' }), {
      target: { value: 'unpruned' },
    });
    expect(names()).toEqual(['alpha unpruned']);
    await fireEvent.change(screen.getByRole('combobox', { name: 'Method' }), { target: { value: '' } });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), {
      target: { value: 'cancelled' },
    });
    expect(names()).toEqual(['shape pruned']);
  });

  it('filters by text and reports how many runs match', async () => {
    render(RunsTable, { runs });
    await fireEvent.input(screen.getByRole('searchbox'), { target: { value: 'unpruned' } });
    expect(names()).toEqual(['alpha unpruned']);
    expect(screen.getByText('1 of 3 runs')).toBeInTheDocument();
  });

  it('shows and hides columns from the chooser, and keeps the choice for the next time', async () => {
    render(RunsTable, { runs: [run('5', 'wide', 0.5, '2026-01-05T10:00:00Z', true, { backend: 'cpu' })] });
    expect(cell('5', 'backend')).toBeUndefined();
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Backend' }));
    expect(cell('5', 'backend')).toBe('cpu');
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Input' }));
    expect(cell('5', 'input')).toBeUndefined();
    cleanup();
    render(RunsTable, { runs: [run('5', 'wide', 0.5, '2026-01-05T10:00:00Z', true, { backend: 'cpu' })] });
    expect(cell('5', 'backend')).toBe('cpu');
    expect(cell('5', 'input')).toBeUndefined();
  });

  it('shows the live status from job events over the stored one', () => {
    render(RunsTable, {
      runs: [run('6', 'waiting', 0.5, '2026-01-06T10:00:00Z', true, { status: 'interrupted' })],
      live: { '6': 'running' },
    });
    expect(cell('6', 'status')).toBe('running');
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
