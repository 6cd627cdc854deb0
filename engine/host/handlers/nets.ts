import type { Handler } from '../context.js';
import { notAvailable } from './unavailable.js';

export const listNets: Handler<'nets.list'> = async () => notAvailable('the net zoo');
export const netInfo: Handler<'nets.info'> = async () => notAvailable('the net zoo');
