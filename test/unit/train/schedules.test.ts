import { describe, expect, it } from 'vitest';
import { createSchedule } from '../../../engine/train/schedules/registry.js';

describe('learning-rate schedules', () => {
  it('exponential: lr·exp(−0.04·epoch)', () => {
    const s = createSchedule({ kind: 'exponential', lr: 0.1, rate: 0.04 });
    expect(s.lrFor(0)).toBeCloseTo(0.1, 12);
    expect(s.lrFor(10)).toBeCloseTo(0.1 * 0.670320046, 9);
  });

  it('step: ×0.1 from epoch 150', () => {
    const s = createSchedule({ kind: 'step', lr: 1e-3, milestones: [150], gamma: 0.1 });
    expect(s.lrFor(149)).toBeCloseTo(1e-3, 12);
    expect(s.lrFor(150)).toBeCloseTo(1e-4, 12);
  });

  it('plateau: reduces after patience+1 bad epochs, honours cooldown, and its state round-trips', () => {
    const s = createSchedule({
      kind: 'plateau',
      lr: 0.1,
      mode: 'min',
      patience: 1,
      factor: 0.5,
      cooldown: 1,
    });
    s.observe(1.0); // best
    s.observe(1.0); // bad 1
    expect(s.lrFor(2)).toBeCloseTo(0.1, 12);
    s.observe(0.99995); // not better by the 1e-4 relative threshold: bad 2 > patience → 0.05
    expect(s.lrFor(3)).toBeCloseTo(0.05, 12);
    const restored = createSchedule({
      kind: 'plateau',
      lr: 0.1,
      mode: 'min',
      patience: 1,
      factor: 0.5,
      cooldown: 1,
    });
    restored.setState(JSON.parse(JSON.stringify(s.getState())));
    for (const sched of [s, restored]) {
      sched.observe(1.0); // bad, but cooldown resets the count
      sched.observe(1.0); // bad 1
      sched.observe(1.0); // bad 2 → 0.025
    }
    expect(s.lrFor(6)).toBeCloseTo(0.025, 12);
    expect(restored.lrFor(6)).toBe(s.lrFor(6));
  });

  it('names unknown kinds', () => {
    expect(() => createSchedule({ kind: 'cosine' } as never)).toThrow(/unknown schedule 'cosine'/);
  });
});
