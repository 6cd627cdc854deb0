import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { sqliteVersion } from '../store/database.js';
import { resolveDataPaths } from '../store/paths.js';
import { selectBackend, type BackendName, type BackendReason, type BackendReport } from './index.js';
import { loadNativeAddon, NATIVE_FAST_PATH_HINT } from './native-addon.js';

export interface DoctorReport {
  backend: { report: BackendReport } | { error: string; reasons: BackendReason[] };
  versions: { node: string; tfjs: string; betterSqlite3: string; sqlite: string; oneDnn: string | null };
  cpu: {
    model: string;
    logicalCores: number;
    /** Threads Node may use (os.availableParallelism). */
    availableParallelism: number;
    /** OMP_NUM_THREADS as set at process start (null when unset: OpenMP then uses every core). */
    ompNumThreads: string | null;
  };
  native: {
    loaded: boolean;
    why: string | null;
    oneDnnVersion: string | null;
    threads: number | null;
    isa: string | null;
    /** How to get (or tune) the fast path. */
    advice: string;
  };
  data: { dataDir: string; database: string; source: 'RANP_DATA_DIR' | 'platform default' };
}

/** A package's installed version, or "not installed". */
export function packageVersion(name: string): string {
  try {
    const pkg: unknown = createRequire(import.meta.url)(`${name}/package.json`);
    const version = (pkg as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'not installed';
  }
}

/** Everything `ranp doctor` shows. Runs the (one per process) backend selection. */
export async function collectDoctorReport(
  options: { prefer?: BackendName; env?: NodeJS.ProcessEnv } = {},
): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  let backend: DoctorReport['backend'];
  try {
    backend = { report: await selectBackend({ prefer: options.prefer, env }) };
  } catch (error) {
    const reasons = (error as { reasons?: BackendReason[] }).reasons ?? [];
    backend = { error: error instanceof Error ? error.message : String(error), reasons };
  }
  const native = loadNativeAddon(env);
  const cpus = os.cpus();
  const paths = resolveDataPaths({}, env);
  return {
    backend,
    versions: {
      node: process.versions.node,
      tfjs: tf.version.tfjs,
      betterSqlite3: packageVersion('better-sqlite3'),
      sqlite: sqliteVersion(),
      oneDnn: native.loaded ? native.info.oneDnnVersion : null,
    },
    cpu: {
      model: cpus[0]?.model.trim() ?? 'unknown',
      logicalCores: cpus.length,
      availableParallelism: os.availableParallelism(),
      ompNumThreads: env.OMP_NUM_THREADS ?? null,
    },
    native: native.loaded
      ? {
          loaded: true,
          why: null,
          oneDnnVersion: native.info.oneDnnVersion,
          threads: native.info.threads,
          isa: native.info.isa,
          advice:
            'conv3d runs on oneDNN with OpenMP; to change its thread count set OMP_NUM_THREADS before starting the process (it is read once at start)',
        }
      : {
          loaded: false,
          why: native.why,
          oneDnnVersion: null,
          threads: null,
          isa: null,
          advice:
            env.RANP_NATIVE === '0'
              ? 'unset RANP_NATIVE to run conv3d on the native oneDNN kernels'
              : `conv3d runs on tfjs's JavaScript kernels (~1 GFLOP/s); for the fast path (~50-100× faster): ${NATIVE_FAST_PATH_HINT}`,
        },
    data: {
      dataDir: paths.dataDir,
      database: paths.database,
      source: env.RANP_DATA_DIR ? 'RANP_DATA_DIR' : 'platform default',
    },
  };
}

/** The human-readable doctor output. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines: string[] = ['RANP Studio doctor', '', 'Backend'];
  const reasons = 'report' in report.backend ? report.backend.report.reasons : report.backend.reasons;
  if ('report' in report.backend) {
    const r = report.backend.report;
    const forced = r.forcedBy ? ` (forced by ${r.forcedBy})` : '';
    lines.push(
      `  chosen: ${r.chosen}${forced}  [tfjs backend '${r.tfBackend}', native kernels ${r.native ? 'on' : 'off'}]`,
    );
  } else {
    lines.push(`  error: ${report.backend.error}`);
  }
  for (const reason of reasons)
    lines.push(`  ${reason.available ? 'ok ' : 'no '} ${reason.backend.padEnd(14)} ${reason.why}`);
  const v = report.versions;
  lines.push(
    '',
    'Versions',
    `  node ${v.node}, @tensorflow/tfjs ${v.tfjs}, better-sqlite3 ${v.betterSqlite3} (SQLite ${v.sqlite}), oneDNN ${v.oneDnn ?? '-'}`,
    '',
    'CPU',
    `  ${report.cpu.model}: ${report.cpu.logicalCores} logical cores, ${report.cpu.availableParallelism} available; OMP_NUM_THREADS=${report.cpu.ompNumThreads ?? '(unset: all cores)'}`,
    '',
    'Native kernels (@ranp/native)',
  );
  const n = report.native;
  if (n.loaded) lines.push(`  loaded: oneDNN ${n.oneDnnVersion}, ISA ${n.isa}, ${n.threads} OpenMP threads`);
  else lines.push(`  not loaded: ${n.why}`);
  lines.push(
    `  ${n.advice}`,
    '',
    'Data',
    `  folder:   ${report.data.dataDir} (${report.data.source})`,
    `  database: ${report.data.database}`,
  );
  return lines.join('\n');
}
