import { readFileSync, writeFileSync } from 'node:fs';

/**
 * This process's peak RSS per case of one bench child: Linux keeps the high-water mark (VmHWM in
 * /proc/self/status, also what getrusage's maxRSS reports) and writing 5 to /proc/self/clear_refs
 * lowers it to the current RSS. The native backend's heap keeps freed buffers (native/src/memory.cc),
 * so a case after a larger one can start from a larger resident size: only the first case of a
 * process, or one needing more than those before it, reports exactly its own peak.
 */
let before = 0;

/** The peak since the last resetPeakRss: VmHWM (undefined off Linux). */
export function peakRssMiB(): number | undefined {
  try {
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** Starts a case's peak; false (and peakRssMiB stays whole-process) off Linux. */
export function resetPeakRss(): boolean {
  const current = peakRssMiB();
  if (current === undefined) return false;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    return false;
  }
  before = Math.max(before, current);
  return true;
}

/** The whole process's peak RSS, resets included. */
export function processPeakRssMiB(): number {
  return Math.max(before, peakRssMiB() ?? process.resourceUsage().maxRSS / 1024);
}
