import type { Handler } from '../context.js';
import { notAvailable } from './unavailable.js';

export const listSamples: Handler<'datasets.samples'> = async () => notAvailable('the sample datasets');
export const checkDataset: Handler<'datasets.check'> = async () => notAvailable('the data check');
