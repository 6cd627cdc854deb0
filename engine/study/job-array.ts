import fs from 'node:fs';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { isEmptyOrAbsent } from '../util/empty-folder.js';
import { STUDY_FILE, StudyError, type Study } from './study.js';

/**
 * A study as a job array for a scheduler the user already runs: every task is the same command,
 * `ranp study run-task --study <folder>/study.json`, told its index by the scheduler
 * (SLURM_ARRAY_TASK_ID, Kubernetes' JOB_COMPLETION_INDEX), and writes its runs as bundles into
 * <folder>/bundles/task-<index>/, which `ranp runs import <folder>/bundles` gathers.
 */

export const SLURM_FILE = 'slurm-array.sh';
export const KUBERNETES_FILE = 'k8s-indexed-job.yaml';
/** Where the Kubernetes Job mounts the study folder (the volume's root) in the container. */
export const KUBERNETES_STUDY_MOUNT = '/study';

export interface JobArrayOptions {
  /** The study folder as the cluster's nodes see it (SLURM); default the folder written. */
  clusterDir: string;
  /** Kubernetes: the container image (built from the repository's Dockerfile). */
  image: string;
  /** Kubernetes: the PersistentVolumeClaim holding the study folder at its root (and the data). */
  volumeClaim: string;
  cpus: number;
  memoryGiB: number;
  /** SLURM --time, e.g. 24:00:00. */
  time: string;
}

/** The scheduler-visible name: lowercase letters, digits and '-' (a DNS-1123 label for Kubernetes). */
export function jobName(study: Study): string {
  return `ranp-${study.name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63).replace(/-+$/, '');
}

/** A bash single-quoted word (paths with spaces or quotes survive). */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function slurmScript(study: Study, options: JobArrayOptions): string {
  const dir = options.clusterDir;
  const n = study.cells.length;
  return `#!/bin/bash
# RANP Studio study '${study.name}': ${n} task(s), one grid cell (method x sparsity x seed) each.
# Submit with: sbatch ${path.posix.join(dir, SLURM_FILE)}
# Each task writes its runs as bundles to ${dir}/bundles/task-<index>/; gather them with
#   ranp runs import ${dir}/bundles
#SBATCH --job-name=${jobName(study)}
#SBATCH --array=0-${n - 1}
#SBATCH --cpus-per-task=${options.cpus}
#SBATCH --mem=${options.memoryGiB}G
#SBATCH --time=${options.time}
#SBATCH --chdir=${dir}
#SBATCH --output=${dir}/logs/task-%a.log
set -euo pipefail
exec ranp study run-task --study ${shellQuote(path.posix.join(dir, STUDY_FILE))} --index "$SLURM_ARRAY_TASK_ID"
`;
}

/** The Indexed Job as a value (kubectl apply -f takes its YAML). */
export function kubernetesJob(study: Study, options: JobArrayOptions) {
  const n = study.cells.length;
  const labels = { 'app.kubernetes.io/name': 'ranp-studio', 'ranp-studio/study': jobName(study) };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobName(study), labels },
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: n,
      // One retry per task on average; a task already done exits at once ('already done').
      backoffLimit: n,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'task',
              image: options.image,
              // The index comes from JOB_COMPLETION_INDEX, which the Job controller sets in every pod.
              command: ['ranp', 'study', 'run-task', '--study', `${KUBERNETES_STUDY_MOUNT}/${STUDY_FILE}`],
              resources: {
                requests: { cpu: String(options.cpus), memory: `${options.memoryGiB}Gi` },
                limits: { memory: `${options.memoryGiB}Gi` },
              },
              volumeMounts: [{ name: 'study', mountPath: KUBERNETES_STUDY_MOUNT }],
            },
          ],
          volumes: [{ name: 'study', persistentVolumeClaim: { claimName: options.volumeClaim } }],
        },
      },
    },
  };
}

/**
 * Writes the study folder: study.json (the resolved study), the SLURM array script, the Kubernetes
 * manifest and an empty logs/ (SLURM does not create the --output folder). `outDir` must be new or
 * empty. Returns the files written.
 */
export function writeStudyFolder(study: Study, outDir: string, options: JobArrayOptions): string[] {
  if (!isEmptyOrAbsent(outDir))
    throw new StudyError(
      `study folder ${outDir} already exists and is not empty; give a new or empty folder`,
    );
  fs.mkdirSync(path.join(outDir, 'logs'), { recursive: true });
  const files = [
    [STUDY_FILE, `${JSON.stringify(study, null, 2)}\n`],
    [SLURM_FILE, slurmScript(study, options)],
    [KUBERNETES_FILE, toYaml(kubernetesJob(study, options))],
  ].map(([name, text]) => {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, text);
    return file;
  });
  fs.chmodSync(files[1], 0o755);
  return files;
}
