import type { BackendReport } from '../backend/index.js';
import { jsKernelsNotice } from '../backend/native-addon.js';
import type { CliIO } from './command.js';

/**
 * A command that trains or scores says once, before it starts, that it will be slow because the
 * native kernels are off. Not when the user forced cpu: they know.
 */
export function warnIfJsKernels(report: BackendReport, io: CliIO): void {
  if (report.chosen === 'cpu' && !report.forcedBy) io.err(`WARNING: ${jsKernelsNotice()}`);
}
