import type { Handler } from '../context.js';
import { notAvailable } from './unavailable.js';

export const getVolume: Handler<'volume.get'> = async () => notAvailable('predictions');
