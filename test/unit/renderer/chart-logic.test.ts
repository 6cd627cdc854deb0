import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../../renderer/charts/axis-ticks.js';
import { RUN_PALETTE, runColours } from '../../../renderer/charts/run-colours.js';

describe('niceTicks', () => {
  it('gives 1-2-5 steps over the range (worked by hand)', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.62, 0.71)).toEqual([0.62, 0.64, 0.66, 0.68, 0.7]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('puts no tick between whole epochs', () => {
    expect(niceTicks(1, 2)).toEqual([1, 1.2, 1.4, 1.6, 1.8, 2]);
    expect(niceTicks(1, 2, 5, true)).toEqual([1, 2]);
    expect(niceTicks(1, 4, 5, true)).toEqual([1, 2, 3, 4]);
    expect(niceTicks(1, 25, 5, true)).toEqual([5, 10, 15, 20, 25]);
  });
});

describe('runColours', () => {
  it('gives a run the same colour whatever order the runs are listed in', () => {
    const a = runColours(['12', '3', '7']);
    const b = runColours(['7', '12', '3']);
    expect([...a]).toEqual([...b]);
    expect(a.get('3')).toBe(RUN_PALETTE[0]);
    expect(a.get('12')).toBe(RUN_PALETTE[2]);
  });

  it('gives up to ten runs ten different colours', () => {
    const ids = Array.from({ length: 10 }, (_, i) => String(i + 1));
    expect(new Set(runColours(ids).values()).size).toBe(10);
  });
});
