import type { Handler } from '../context.js';
import { notAvailable } from './unavailable.js';

export const previewPrune: Handler<'prune.preview'> = async () => notAvailable('pruning');
