import { currentBackendReport, selectBackend } from '../../backend/index.js';
import type { Handler } from '../context.js';
import { availability } from './availability.js';

const VERSION = process.env.npm_package_version ?? '0.1.0';

export const engineStatus: Handler<'engine.status'> = async (_params, ctx) => {
  const report = await (currentBackendReport() ?? selectBackend());
  return {
    version: VERSION,
    mode: ctx.mode,
    backend: {
      name: report.chosen,
      details: {
        tfjs: report.tfBackend,
        native: report.native,
        why: report.reasons.find((r) => r.backend === report.chosen)?.why ?? '',
      },
    },
    dataDir: ctx.dataDir,
    samplesDir: ctx.samplesDir,
    available: availability(),
  };
};
