import type { Handler } from '../context.js';
import { notAvailable } from './unavailable.js';

export const startExperiment: Handler<'experiment.start'> = async () => notAvailable('training');
