import type { Handler } from '../context.js';
import { availability } from './availability.js';

const VERSION = process.env.npm_package_version ?? '0.1.0';

export const engineStatus: Handler<'engine.status'> = async (_params, ctx) => ({
  version: VERSION,
  mode: ctx.mode,
  backend: null,
  dataDir: ctx.dataDir,
  samplesDir: ctx.samplesDir,
  available: availability(),
});
