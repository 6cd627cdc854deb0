import { checkLearningRate, type LrSchedule } from './schedule.js';

export interface StepOptions {
  lr: number;
  /** Epochs at which the rate is multiplied by `gamma` (MultiStepLR); BraTS: [150], gamma 0.1. */
  milestones: number[];
  gamma: number;
}

export function createStep({ lr, milestones, gamma }: StepOptions): LrSchedule {
  checkLearningRate('step', lr);
  return {
    kind: 'step',
    lrFor: (epoch) => lr * gamma ** milestones.filter((m) => epoch >= m).length,
    observe() {},
    getState: () => ({}),
    setState() {},
  };
}
