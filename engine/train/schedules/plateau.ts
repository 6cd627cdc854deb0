import { checkLearningRate, type LrSchedule, type ScheduleState } from './schedule.js';

export interface PlateauOptions {
  lr: number;
  /** 'min' for a loss, 'max' for an accuracy. */
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  /** Relative improvement needed to count as better (PyTorch threshold_mode 'rel'). */
  threshold: number;
  cooldown: number;
  minLr: number;
}

export const PLATEAU_DEFAULTS: Omit<PlateauOptions, 'lr'> = {
  mode: 'min',
  factor: 0.1,
  patience: 10,
  threshold: 1e-4,
  cooldown: 0,
  minLr: 0,
};

/** torch.optim.lr_scheduler.ReduceLROnPlateau semantics, one observation per validation. */
export function createPlateau(options: Partial<PlateauOptions> & { lr: number }): LrSchedule {
  const o: PlateauOptions = { ...PLATEAU_DEFAULTS, ...options };
  checkLearningRate('plateau', o.lr);
  if (!(o.factor > 0 && o.factor < 1))
    throw new Error(`plateau schedule: factor must be in (0, 1), got ${o.factor}`);
  let lr = o.lr;
  let best: number | null = null;
  let badEpochs = 0;
  let cooldownLeft = 0;

  const isBetter = (value: number) =>
    best === null || (o.mode === 'min' ? value < best * (1 - o.threshold) : value > best * (1 + o.threshold));

  return {
    kind: 'plateau',
    lrFor: () => lr,
    observe(value) {
      if (isBetter(value)) {
        best = value;
        badEpochs = 0;
      } else badEpochs++;
      if (cooldownLeft > 0) {
        cooldownLeft--;
        badEpochs = 0;
      }
      if (badEpochs > o.patience) {
        const reduced = Math.max(lr * o.factor, o.minLr);
        if (lr - reduced > 1e-8) lr = reduced;
        cooldownLeft = o.cooldown;
        badEpochs = 0;
      }
    },
    getState: (): ScheduleState => ({ lr, best, badEpochs, cooldownLeft }),
    setState(state) {
      lr = state.lr ?? o.lr;
      best = state.best ?? null;
      badEpochs = state.badEpochs ?? 0;
      cooldownLeft = state.cooldownLeft ?? 0;
    },
  };
}
