import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isEmptyOrAbsent } from '../util/empty-folder.js';
import { parseCsv } from './csv.js';
import { hashFile, verifyContent } from './content-store.js';
import { ArtifactIntegrityError, BundleError, StoreError } from './errors.js';
import { metricsToCsv, METRIC_CSV_HEADER } from './export.js';
import { assertPlainFileName, resolveInside, unsafePathReason } from './safe-path.js';
import type { BundleImport, BundleOptions, StoreApi } from './store-api.js';
import { ARTIFACT_KINDS, RUN_STATUSES, RUN_TASKS, type JsonObject, type PruneReportInput } from './types.js';

/**
 * A run bundle is a self-contained folder another machine can import:
 *   manifest.json        format + version, the run's metadata, sha256 and size of every file below
 *   config.json          the run's full configuration
 *   environment.json     backend, versions, native/thread info and data fingerprint, if recorded
 *   metrics.csv          every metric value (long format)
 *   prune-report.json    the prune report, if the run has one
 *   system-metrics.json  per-epoch throughput and memory, if recorded
 *   artifacts/<name>     checkpoints, score files, predictions…
 * manifest.json is written last, so a bundle cut short by a crash is refused on import.
 */
export const BUNDLE_FORMAT = 'ranp-run-bundle';
export const BUNDLE_VERSION = 1;

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  createdAt: z.string(),
  run: z.object({
    uuid: z.string().min(1),
    parentUuid: nullableString,
    project: z.string().min(1),
    name: nullableString,
    task: z.enum(RUN_TASKS),
    dataset: nullableString,
    net: z.string().min(1),
    method: nullableString,
    sparsity: nullableNumber,
    lambda: nullableNumber,
    seed: z.number().int().nullable(),
    role: nullableString,
    backend: nullableString,
    device: nullableString,
    appVersion: z.string(),
    status: z.enum(RUN_STATUSES),
    error: nullableString,
    createdAt: z.number(),
    startedAt: nullableNumber,
    endedAt: nullableNumber,
    notes: nullableString,
    pid: z.number().int().nullable(),
    host: nullableString,
    heartbeatAt: nullableNumber,
    /** Absent in bundles written before runs had an origin. */
    origin: nullableString.optional(),
  }),
  files: z.array(
    z.object({
      path: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      size: z.number().int().nonnegative(),
    }),
  ),
  artifacts: z.array(
    z.object({
      file: z.string(),
      kind: z.enum(ARTIFACT_KINDS),
      name: z.string(),
      epoch: z.number().int().nullable(),
    }),
  ),
});

export type BundleManifest = z.infer<typeof manifestSchema>;

/** Checked before anything is written, so a bad report cannot leave files behind. */
const pruneReportSchema = z
  .object({
    layers: z.array(
      z
        .object({
          layer: z.string().min(1),
          kept: z.number().int().nonnegative(),
          total: z.number().int().nonnegative(),
        })
        .catchall(z.json()),
    ),
  })
  .catchall(z.json());

const systemMetricsSchema = z.array(
  z.object({
    epoch: z.number().int(),
    wallTime: z.number(),
    samplesPerSecond: z.number().optional(),
    peakMemoryBytes: z.number().optional(),
    extra: z.record(z.string(), z.json()).optional(),
  }),
);

/**
 * Writes the run as a bundle into `outDir` (which must not exist or be empty). Returns the manifest.
 * `origin` (default: the run's own, if it was imported) is what the importing store records as
 * where the run came from, e.g. the study task that made it.
 */
export function exportBundle(
  store: StoreApi,
  runId: number,
  outDir: string,
  options: BundleOptions = {},
): BundleManifest {
  const run = store.getRun(runId);
  if (!isEmptyOrAbsent(outDir))
    throw new StoreError(`bundle folder ${outDir} already exists and is not empty`);
  const artifacts = store.listArtifacts(runId).map((a) => store.verifyArtifact(runId, a.name));
  fs.mkdirSync(path.join(outDir, 'artifacts'), { recursive: true });
  const written: string[] = [];
  const write = (relPath: string, text: string) => {
    fs.writeFileSync(path.join(outDir, relPath), text);
    written.push(relPath);
  };
  write('config.json', JSON.stringify(run.config, null, 2));
  if (run.environment) write('environment.json', JSON.stringify(run.environment, null, 2));
  write('metrics.csv', metricsToCsv(store.metrics(runId)));
  const report = store.getPruneReport(runId);
  if (report) write('prune-report.json', JSON.stringify(report.report, null, 2));
  const system = store.systemMetrics(runId);
  if (system.length) write('system-metrics.json', JSON.stringify(system, null, 2));
  for (const a of artifacts) {
    fs.copyFileSync(a.path, path.join(outDir, 'artifacts', a.name));
    written.push(`artifacts/${a.name}`);
  }
  const parentUuid = run.parentRunId === null ? null : store.getRun(run.parentRunId).uuid;
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: new Date().toISOString(),
    run: {
      uuid: run.uuid,
      parentUuid,
      project: run.project,
      name: run.name,
      task: run.task,
      dataset: run.dataset,
      net: run.net,
      method: run.method,
      sparsity: run.sparsity,
      lambda: run.lambda,
      seed: run.seed,
      role: run.role,
      backend: run.backend,
      device: run.device,
      appVersion: run.appVersion,
      status: run.status,
      error: run.error,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      notes: run.notes,
      pid: run.pid,
      host: run.host,
      heartbeatAt: run.heartbeatAt,
      origin: options.origin ?? run.origin,
    },
    files: written.map((relPath) => ({ path: relPath, ...renameHash(hashFile(path.join(outDir, relPath))) })),
    artifacts: artifacts.map((a) => ({
      file: `artifacts/${a.name}`,
      kind: a.kind,
      name: a.name,
      epoch: a.epoch,
    })),
  };
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

function renameHash({ hash, size }: { hash: string; size: number }): { sha256: string; size: number } {
  return { sha256: hash, size };
}

/**
 * The verified absolute path of a bundle member: refuses unsafe names, anything resolving outside
 * the bundle, symlinks (at any depth) and non-regular files, then checks size and sha256.
 */
function verifiedMember(root: string, entry: { path: string; sha256: string; size: number }): string {
  const refuse = (why: string) => new BundleError(`bundle ${root}: file '${entry.path}' refused: ${why}`);
  const reason = unsafePathReason(entry.path);
  if (reason) throw refuse(reason);
  const file = resolveInside(root, entry.path);
  if (!file) throw refuse('it resolves outside the bundle');
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    throw refuse('it is missing');
  }
  if (stat.isSymbolicLink()) throw refuse('it is a symbolic link');
  if (!stat.isFile()) throw refuse('it is not a regular file');
  if (fs.realpathSync(file) !== file) throw refuse('a folder on its path is a symbolic link');
  try {
    verifyContent(file, entry.sha256, entry.size);
  } catch (error) {
    if (error instanceof ArtifactIntegrityError) throw refuse(error.detail);
    throw error;
  }
  return file;
}

/** Parses a bundle member's JSON against its schema; the error names the file and field. */
function parseMember<T>(root: string, name: string, schema: z.ZodType<T>, text: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new BundleError(`bundle ${root}: ${name} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BundleError(`bundle ${root}: ${name} field '${issue.path.join('.')}': ${issue.message}`);
  }
  return parsed.data;
}

function readManifest(root: string): BundleManifest {
  const file = path.join(root, 'manifest.json');
  if (!fs.existsSync(file)) throw new BundleError(`${root} is not a run bundle: manifest.json is missing`);
  if (fs.lstatSync(file).isSymbolicLink())
    throw new BundleError(`bundle ${root}: manifest.json is a symbolic link`);
  return parseMember(root, 'manifest.json', manifestSchema, fs.readFileSync(file, 'utf8'));
}

function parseMetricsCsv(root: string, text: string) {
  const [header, ...rows] = parseCsv(text);
  if (header?.join(',') !== METRIC_CSV_HEADER.join(',')) {
    throw new BundleError(`bundle ${root}: metrics.csv header must be '${METRIC_CSV_HEADER.join(',')}'`);
  }
  return rows.map((cells, i) => {
    const [, step, epoch, name, value, wallTime] = cells;
    const numbers = [Number(step), Number(value), Number(wallTime)];
    if (cells.length !== METRIC_CSV_HEADER.length || numbers.some((n) => !Number.isFinite(n)) || !name) {
      throw new BundleError(`bundle ${root}: metrics.csv row ${i + 2} is malformed`);
    }
    return {
      step: numbers[0],
      epoch: epoch === '' ? null : Number(epoch),
      name,
      value: numbers[1],
      wallTime: numbers[2],
    };
  });
}

/**
 * Imports a bundle as a new run (new local id, same uuid). Everything is verified before anything
 * is written; files land only in the store's content-addressed folders, never at names taken from
 * the bundle. A run exported while 'running' arrives as 'interrupted'. A run whose uuid is already
 * in the store is not imported again: the result says so and names the local run (idempotent).
 * The run's origin is the bundle's, else "bundle from <host it ran on>".
 */
export function importBundle(store: StoreApi, bundleDir: string): BundleImport {
  const root = fs.realpathSync(bundleDir);
  const manifest = readManifest(root);
  const existing = store.findRunByUuid(manifest.run.uuid);
  if (existing) return { bundle: root, run: existing, alreadyImported: true };
  const members = new Map(manifest.files.map((entry) => [entry.path, verifiedMember(root, entry)]));
  const member = (relPath: string): string => {
    const file = members.get(relPath);
    if (!file) throw new BundleError(`bundle ${root}: '${relPath}' is not listed in manifest.json`);
    return file;
  };
  for (const a of manifest.artifacts) assertPlainFileName(a.name, `bundle ${root}: artifact name`);

  const config = parseMember(
    root,
    'config.json',
    z.record(z.string(), z.json()),
    fs.readFileSync(member('config.json'), 'utf8'),
  ) as JsonObject;
  const environment = members.has('environment.json')
    ? (parseMember(
        root,
        'environment.json',
        z.record(z.string(), z.json()),
        fs.readFileSync(member('environment.json'), 'utf8'),
      ) as JsonObject)
    : null;
  const metrics = parseMetricsCsv(root, fs.readFileSync(member('metrics.csv'), 'utf8'));
  const report = members.has('prune-report.json')
    ? (parseMember(
        root,
        'prune-report.json',
        pruneReportSchema,
        fs.readFileSync(member('prune-report.json'), 'utf8'),
      ) as PruneReportInput)
    : null;
  const system = members.has('system-metrics.json')
    ? parseMember(
        root,
        'system-metrics.json',
        systemMetricsSchema,
        fs.readFileSync(member('system-metrics.json'), 'utf8'),
      )
    : [];
  const { run } = manifest;
  const { parentUuid, origin, ...columns } = run;
  const imported = store.importRun({
    run: {
      ...columns,
      parentRunId: parentUuid ? (store.findRunByUuid(parentUuid)?.id ?? null) : null,
      config,
      environment,
      origin: origin ?? `bundle from ${run.host ?? 'an unknown host'}`,
    },
    metrics,
    system,
    pruneReport: report,
    artifacts: manifest.artifacts.map((a) => ({
      kind: a.kind,
      name: a.name,
      epoch: a.epoch,
      file: member(a.file),
    })),
  });
  return { bundle: root, run: imported, alreadyImported: false };
}

/**
 * The bundles under `paths`: each path is a bundle (a folder with manifest.json) or a folder
 * searched for bundles at any depth (symbolic links are not followed; a bundle's own folders are
 * not searched). Sorted so a parent run's bundle comes before its children's, then by path, so
 * the parent links survive the import.
 */
export function findBundles(paths: readonly string[]): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    if (fs.existsSync(path.join(dir, 'manifest.json'))) return void found.push(dir);
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name)))
      if (entry.isDirectory()) visit(path.join(dir, entry.name));
  };
  for (const p of paths) {
    if (!fs.existsSync(p) || !fs.statSync(p).isDirectory())
      throw new BundleError(`${p} is not a folder (give a bundle folder or a folder of bundles)`);
    visit(fs.realpathSync(p));
  }
  const bundles = [...new Set(found)].map((dir) => ({ dir, manifest: readManifest(dir) }));
  const byUuid = new Map(bundles.map((b) => [b.manifest.run.uuid, b]));
  const depth = (b: (typeof bundles)[number], seen = new Set<string>()): number => {
    const parent = b.manifest.run.parentUuid && byUuid.get(b.manifest.run.parentUuid);
    if (!parent || seen.has(b.manifest.run.uuid)) return 0;
    seen.add(b.manifest.run.uuid);
    return 1 + depth(parent, seen);
  };
  return bundles
    .map((b) => ({ dir: b.dir, depth: depth(b) }))
    .sort((a, b) => a.depth - b.depth || a.dir.localeCompare(b.dir))
    .map((b) => b.dir);
}
