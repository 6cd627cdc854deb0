// Child process for nifti-guards.test.ts: reads one NIfTI file with readNifti and prints, as JSON,
// how it ended (the DataError's problem, or the voxel count), the wall time and the peak RSS, so the
// parent measures the reader alone, not the test runner's own memory.
// argv: <file>
import { readNifti } from '../../../engine/data/nifti/read.js';

const started = performance.now();
let outcome: { problem?: string; voxels?: number };
try {
  outcome = { voxels: (await readNifti(process.argv[2])).data.length };
} catch (error) {
  outcome = { problem: (error as Error).message };
}
process.stdout.write(
  JSON.stringify({
    ...outcome,
    seconds: (performance.now() - started) / 1000,
    // ru_maxrss is in KiB on Linux.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
