import { checkLearningRate, type LrSchedule } from './schedule.js';

export interface ConstantOptions {
  lr: number;
}

export function createConstant({ lr }: ConstantOptions): LrSchedule {
  checkLearningRate('constant', lr);
  return { kind: 'constant', lrFor: () => lr, observe() {}, getState: () => ({}), setState() {} };
}
