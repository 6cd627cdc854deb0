import { checkLearningRate, type LrSchedule } from './schedule.js';

export interface ExponentialOptions {
  lr: number;
  /** lr · exp(−rate · epoch); the paper's ShapeNet setting is 0.04. */
  rate: number;
}

export function createExponential({ lr, rate }: ExponentialOptions): LrSchedule {
  checkLearningRate('exponential', lr);
  return {
    kind: 'exponential',
    lrFor: (epoch) => lr * Math.exp(-rate * epoch),
    observe() {},
    getState: () => ({}),
    setState() {},
  };
}
