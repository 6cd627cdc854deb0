import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../engine/backend/doctor.js';

const root = join(import.meta.dirname, '../../..');

function doctor(args: string[], env: Record<string, string>): { stdout: string; status: number } {
  try {
    const stdout = execFileSync(process.execPath, [join(root, 'bin/ranp.js'), 'doctor', ...args], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { stdout, status: 0 };
  } catch (error) {
    const e = error as { stdout: string; status: number };
    return { stdout: e.stdout, status: e.status };
  }
}

describe('ranp doctor (real CLI process)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ranp-doctor-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('--json with native kernels disabled: cpu chosen, native off with advice, data folder from RANP_DATA_DIR', () => {
    const { stdout, status } = doctor(['--json'], {
      RANP_NATIVE: '0',
      RANP_DATA_DIR: dataDir,
      RANP_BACKEND: '',
    });
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as DoctorReport;
    if (!('report' in report.backend)) throw new Error(report.backend.error);
    expect(report.backend.report.chosen).toBe('cpu');
    expect(report.backend.report.reasons.find((r) => r.backend === 'native')?.why).toMatch(
      /disabled by RANP_NATIVE=0/,
    );
    expect(report.native.loaded).toBe(false);
    expect(report.native.advice).toMatch(/unset RANP_NATIVE/);
    expect(report.data).toEqual({ dataDir, database: join(dataDir, 'ranp.sqlite'), source: 'RANP_DATA_DIR' });
    expect(report.versions.node).toBe(process.versions.node);
    expect(report.versions.tfjs).toBe('4.22.0');
    expect(report.versions.sqlite).toMatch(/^3\.\d+\.\d+$/);
    expect(report.cpu.logicalCores).toBeGreaterThanOrEqual(1);
  });

  it('text output with a forced backend that is missing: exit code 1 and the reason', () => {
    const { stdout, status } = doctor(['--backend', 'tfjs-node-gpu'], { RANP_DATA_DIR: dataDir });
    expect(status).toBe(1);
    expect(stdout).toMatch(/error: backend 'tfjs-node-gpu' forced by option is not available/);
    expect(stdout).toMatch(/Native kernels \(@ranp\/native\)/);
  });
});
