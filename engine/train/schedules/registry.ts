import { createConstant, type ConstantOptions } from './constant.js';
import { createExponential, type ExponentialOptions } from './exponential.js';
import { createPlateau, type PlateauOptions } from './plateau.js';
import type { LrSchedule } from './schedule.js';
import { createStep, type StepOptions } from './step.js';

export type ScheduleSpec =
  | ({ kind: 'constant' } & ConstantOptions)
  | ({ kind: 'exponential' } & ExponentialOptions)
  | ({ kind: 'step' } & StepOptions)
  | ({ kind: 'plateau' } & Partial<PlateauOptions> & { lr: number });

/** Schedules by name: a new schedule is one file plus one line here. */
const schedules: { [K in ScheduleSpec['kind']]: (spec: Extract<ScheduleSpec, { kind: K }>) => LrSchedule } = {
  constant: (spec) => createConstant(spec),
  exponential: (spec) => createExponential(spec),
  step: (spec) => createStep(spec),
  plateau: (spec) => createPlateau(spec),
};

export function createSchedule(spec: ScheduleSpec): LrSchedule {
  const factory = schedules[spec.kind] as ((s: ScheduleSpec) => LrSchedule) | undefined;
  if (!factory)
    throw new Error(`unknown schedule '${spec.kind}' (known: ${Object.keys(schedules).join(', ')})`);
  return factory(spec);
}

export type { LrSchedule, ScheduleState } from './schedule.js';
