import { collectDoctorReport, formatDoctorReport } from '../../backend/doctor.js';
import { BACKEND_NAMES, parseBackendName } from '../../backend/index.js';
import { parseCommandArgs } from '../args.js';
import { UsageError, type CliCommand } from '../command.js';

const USAGE = `Usage: ranp doctor [--json] [--backend NAME]

Shows which compute backend the engine picks and why each better one was skipped, versions
(node, tfjs, SQLite, oneDNN), CPU and threads, whether the native oneDNN kernels loaded (and how
to get them), and the data folder and database paths.

Options:
  --json          machine-readable output
  --backend NAME  check a forced backend (${BACKEND_NAMES.join(', ')}); same as RANP_BACKEND

Environment: RANP_BACKEND (force a backend), RANP_NATIVE=0 (disable native kernels),
OMP_NUM_THREADS (native kernel threads; read at process start), RANP_DATA_DIR (data folder).
Exit code 1 when a forced backend is unavailable.`;

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'backends, native kernels, versions, threads and data paths',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, backend: { type: 'string' } });
    let prefer;
    try {
      prefer = values.backend ? parseBackendName(values.backend, '--backend') : undefined;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const report = await collectDoctorReport({ prefer });
    io.out(values.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report));
    return 'report' in report.backend ? 0 : 1;
  },
};
