import type { FuzzTarget } from '../target.js';
import { bundleTarget } from './bundle.js';
import { niftiTarget } from './nifti.js';

/** Every fuzz target, one line each. */
export const fuzzTargets: FuzzTarget[] = [niftiTarget, bundleTarget];
