import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import LineChart from '../../../renderer/charts/LineChart.svelte';

// Unmount between tests (vitest globals are off, so the library cannot register this itself).
afterEach(() => cleanup());

describe('LineChart', () => {
  it('draws one polyline per series at coordinates computed by hand', () => {
    const { container } = render(LineChart, {
      title: 'loss',
      series: [
        {
          id: '1',
          label: 'unpruned',
          points: [
            [0, 0],
            [2, 10],
          ],
        },
        { id: '2', label: 'pruned', points: [[1, 5]] },
      ],
    });
    const lines = container.querySelectorAll('polyline');
    expect(lines).toHaveLength(2);
    // Plot box: x 52..448 (width 460, margins 52/12), y 186..24 (height 220, margins 24/34); x in [0,2], y in [0,10].
    expect(lines[0].getAttribute('points')).toBe('52,186 448,24');
    expect(lines[1].getAttribute('points')).toBe('250,105');
    expect(screen.getByText('unpruned')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'loss by epoch' })).toBeInTheDocument();
  });

  it('two runs of the same name are two series (keyed by id, not label)', () => {
    const { container } = render(LineChart, {
      title: 'dice',
      series: [
        { id: '2', label: 'brats pruned', points: [[1, 5]] },
        { id: '3', label: 'brats pruned', points: [[1, 7]] },
      ],
    });
    expect(container.querySelectorAll('polyline')).toHaveLength(2);
    expect(screen.getAllByText('brats pruned')).toHaveLength(2);
  });

  it('says so when there is nothing to draw', () => {
    const { container } = render(LineChart, { title: 'dice', series: [] });
    expect(screen.getByText('No data recorded yet')).toBeInTheDocument();
    expect(container.querySelectorAll('polyline')).toHaveLength(0);
  });
});
