import type { FuzzTarget } from '../target.js';
import { bundleTarget } from './bundle.js';
import { configTarget } from './config.js';
import { niftiTarget } from './nifti.js';
import { protocolTarget } from './protocol.js';
import { scoresTarget } from './scores.js';
import { shapenetTarget } from './shapenet.js';
import { weightsTarget } from './weights.js';

/** Every fuzz target, one line each. */
export const fuzzTargets: FuzzTarget[] = [
  niftiTarget,
  shapenetTarget,
  scoresTarget,
  configTarget,
  weightsTarget,
  bundleTarget,
  protocolTarget,
];
