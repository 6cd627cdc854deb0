/** Scalar state that survives JSON (null stands for a not-yet-seen best value). */
export type ScheduleState = Record<string, number | null>;

/**
 * A learning-rate schedule, stepped per epoch. `lrFor` is pure in the epoch for the fixed schedules;
 * plateau decay also listens to validation results through `observe`.
 */
export interface LrSchedule {
  readonly kind: string;
  /** Learning rate for (0-based) `epoch`. */
  lrFor(epoch: number): number;
  /** A validation value after `epoch` (loss for mode 'min', accuracy for 'max'). */
  observe(value: number): void;
  getState(): ScheduleState;
  setState(state: ScheduleState): void;
}

export function checkLearningRate(kind: string, lr: number): void {
  if (!(lr > 0) || !Number.isFinite(lr))
    throw new Error(`${kind} schedule: learning rate must be > 0, got ${lr}`);
}
