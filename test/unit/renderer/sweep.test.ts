import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../engine/protocol/index.js';
import { jobGroups } from '../../../renderer/jobs.js';
import { parseSeeds, parseSparsities, sweepSize } from '../../../renderer/sweep.js';
import { formatTimeLeft } from '../../../renderer/time.js';

describe('sweep lists of the experiment form', () => {
  it('reads sparsities in percent and seeds as lists or a range; blank is the form’s one value', () => {
    expect(parseSparsities('30, 50 70%;30', 0.5)).toEqual({ values: [0.3, 0.5, 0.7] });
    expect(parseSparsities('  ', 0.42)).toEqual({ values: [0.42] });
    expect(parseSparsities('12.5', 0)).toEqual({ values: [0.125] });
    expect(parseSparsities('30, 100', 0).error).toBe(
      "'100' is not a percentage from 0 to below 100 (e.g. 30, 50, 70)",
    );
    expect(parseSeeds('0, 1,2', 7)).toEqual({ values: [0, 1, 2] });
    expect(parseSeeds('3-5', 0)).toEqual({ values: [3, 4, 5] });
    expect(parseSeeds('', 7)).toEqual({ values: [7] });
    expect(parseSeeds('5-3', 0).error).toBe('the range 5-3 runs backwards (write e.g. 0-4)');
    expect(parseSeeds('1, -2', 0).error).toContain("'-2' is not a seed");
    expect(sweepSize(['ranp-f', 'random'], { values: [0.3, 0.5] }, { values: [0, 1, 2] })).toBe(12);
    expect(sweepSize(['ranp-f'], { error: 'x' }, { values: [0] })).toBe(0);
  });
});

describe('job cards and the time left of several jobs', () => {
  const job = (id: string, o: Partial<JobInfo> = {}): JobInfo => ({
    id,
    title: id,
    state: 'queued',
    runIds: [],
    ...o,
  });
  it('gathers a study’s jobs in queue order at its newest job’s place; lone jobs stay alone', () => {
    const study = (index: number) => ({ id: 's', title: 'sweep', index, size: 2 });
    // The app keeps jobs newest first.
    const groups = jobGroups([
      job('later'),
      job('s1', { study: study(1) }),
      job('s0', { study: study(0) }),
      job('first'),
    ]);
    expect(groups.map((g) => [g.key, g.jobs.map((j) => j.id)])).toEqual([
      ['later', ['later']],
      ['study-s', ['s0', 's1']],
      ['first', ['first']],
    ]);
  });
  it('says how much is not estimated yet instead of leaving it out silently', () => {
    expect(formatTimeLeft({ seconds: 95, jobs: 2, unestimated: 0 })).toBe('1:35');
    expect(formatTimeLeft({ seconds: 95, jobs: 3, unestimated: 1 })).toBe('1:35 + 1 not estimated yet');
    expect(formatTimeLeft({ seconds: 0, jobs: 2, unestimated: 2 })).toBe('--:--');
    expect(formatTimeLeft({ seconds: 0, jobs: 0, unestimated: 0 })).toBe('0:00');
  });
});
