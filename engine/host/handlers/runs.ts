import type { Handler } from '../context.js';
import { notAvailable } from './unavailable.js';

export const listRuns: Handler<'runs.list'> = async () => notAvailable('the run store');
export const getRun: Handler<'runs.get'> = async () => notAvailable('the run store');
export const compareRuns: Handler<'runs.compare'> = async () => notAvailable('the run store');
export const exportRun: Handler<'runs.export'> = async () => notAvailable('the run store');
export const deleteRun: Handler<'runs.delete'> = async () => notAvailable('the run store');
