import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../engine/protocol/index.js';
import { formatProgressLine } from '../../../engine/util/progress.js';

describe('formatDuration (one definition: CLI progress bar and app)', () => {
  it('writes m:ss below an hour and h:mm:ss above, rounding to the second', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(3725)).toBe('1:02:05'); // 1 h, 2 min, 5 s
    expect(formatDuration(-3)).toBe('0:00');
    expect(formatDuration(undefined)).toBe('--:--');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('--:--');
  });

  it("is what the CLI's progress line prints (elapsed < remaining)", () => {
    // 30 of 120 done in 62 s: 186 s remain.
    expect(formatProgressLine({ phase: 'epoch 1/4', done: 30, total: 120, elapsedSeconds: 62 }, 4)).toBe(
      'epoch 1/4 [#...] 30/120 1:02<3:06',
    );
  });
});
