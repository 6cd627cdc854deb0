import { stat } from 'node:fs/promises';
import os from 'node:os';
import type { BackendName } from '../backend/index.js';
import { collectDoctorReport, packageVersion } from '../backend/doctor.js';
import { detectTask } from '../tasks/datasets.js';
import { fingerprintData, type DataFingerprint } from '../data/fingerprint.js';
import type { Store } from '../store/index.js';
import type { JsonObject } from '../store/types.js';

/**
 * What a stored run ran on, beside its config (store column `environment`): the backend and the
 * packages behind it, the native kernels (loaded?, oneDNN version and ISA, OpenMP threads), thread
 * settings, software versions (from `ranp doctor`'s report, engine/backend/doctor.ts), and the
 * fingerprint of each data folder or file it read (engine/data/fingerprint.ts). The full file
 * list of a fingerprint is stored as an artifact of the run (content-addressed, so runs on the same
 * data share one file); the environment keeps its digest, counts and the artifact's name.
 */

/** The packages each backend runs on, whose versions are recorded with the run. */
const BACKEND_PACKAGES: Record<BackendName, readonly string[]> = {
  'tfjs-node-gpu': ['@tensorflow/tfjs-node-gpu'],
  'tfjs-node': ['@tensorflow/tfjs-node'],
  webgpu: ['@tensorflow/tfjs-backend-webgpu', 'webgpu'],
  native: ['@tensorflow/tfjs-backend-cpu', '@ranp/native'],
  cpu: ['@tensorflow/tfjs-backend-cpu'],
};

export interface RunEnvironment {
  /** Stored in the run's environment column. */
  summary: JsonObject;
  /** label → fingerprint (with its file list), for recordDataFileLists. */
  fingerprints: Map<string, DataFingerprint>;
}

/** The artifact holding a fingerprint's file list. */
export const dataFilesArtifactName = (label: string): string => `data-files-${label}.json`;

/** The dataset root inside `target` (a reader's detect), else `target` itself (a file, an unknown layout). */
async function dataRoot(target: string): Promise<string> {
  if (!(await stat(target)).isDirectory()) return target;
  return (await detectTask(target))?.root ?? target;
}

/**
 * Collects the environment once per command: `data` maps a label ('data', 'scores', 'transfer') to
 * each folder or file the run reads. Runs after backend selection (it reports the chosen backend).
 */
export async function collectRunEnvironment(data: Record<string, string> = {}): Promise<RunEnvironment> {
  const doctor = await collectDoctorReport();
  const fingerprints = new Map<string, DataFingerprint>();
  for (const [label, target] of Object.entries(data))
    fingerprints.set(label, await fingerprintData(await dataRoot(target)));
  const backend =
    'report' in doctor.backend
      ? (() => {
          const r = doctor.backend.report;
          return {
            name: r.chosen,
            tfBackend: r.tfBackend,
            nativeKernels: r.native,
            forcedBy: r.forcedBy ?? null,
            detail: r.reasons.find((reason) => reason.backend === r.chosen)?.why ?? null,
            packages: Object.fromEntries(BACKEND_PACKAGES[r.chosen].map((p) => [p, packageVersion(p)])),
          };
        })()
      : { error: doctor.backend.error };
  const { native, cpu, versions } = doctor;
  const summary: JsonObject = {
    backend,
    native: {
      loaded: native.loaded,
      why: native.why,
      oneDnnVersion: native.oneDnnVersion,
      isa: native.isa,
      threads: native.threads,
    },
    threads: {
      ompNumThreads: cpu.ompNumThreads,
      logicalCores: cpu.logicalCores,
      availableParallelism: cpu.availableParallelism,
    },
    cpu: cpu.model,
    os: { platform: process.platform, arch: process.arch, release: os.release() },
    versions: { ...versions },
    data: Object.fromEntries(
      [...fingerprints].map(([label, f]) => [
        label,
        {
          root: f.root,
          digest: f.digest,
          fileCount: f.fileCount,
          totalBytes: f.totalBytes,
          filesArtifact: dataFilesArtifactName(label),
        },
      ]),
    ),
  };
  return { summary, fingerprints };
}

/** Stores each fingerprint's file list (path, size, sha256 per file) as an artifact of the run. */
export function recordDataFileLists(store: Store, runId: number, environment: RunEnvironment): void {
  for (const [label, fingerprint] of environment.fingerprints)
    store.addArtifact(runId, {
      kind: 'other',
      name: dataFilesArtifactName(label),
      source: { bytes: Buffer.from(JSON.stringify(fingerprint, null, 1)) },
    });
}
