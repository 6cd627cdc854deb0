/**
 * The experiment store: every prune, training and evaluation run, findable and comparable later.
 * SQLite (better-sqlite3, WAL, busy_timeout) in the data directory, plus artifact files stored
 * under their sha256 and verified on read. Several processes may open the same store at once.
 *
 * Data directory: `dataDir` option (CLI --data-dir), else $RANP_DATA_DIR, else the platform's
 * app-data folder (Linux $XDG_DATA_HOME/ranp-studio or ~/.local/share/ranp-studio, macOS
 * ~/Library/Application Support/RANP Studio, Windows %APPDATA%/RANP Studio). `dbPath` (--db)
 * moves only the database file. Opening applies pending schema migrations and marks runs whose
 * owner process died as 'interrupted'.
 *
 *   using-style:  const store = openStore({ dataDir }); try { … } finally { store.dispose(); }
 *
 *   store.createRun({ task, net, config, method?, sparsity?, lambda?, seed?, role?, parentRunId?,
 *                     backend?, device?, status?: 'queued'|'running', … })          → RunRecord
 *   store.updateRunStatus(runId, status, { error? })                                  → RunRecord
 *   store.recordEpoch(runId, { epoch, metrics: [{ name, value, step? }],
 *                              system?: { samplesPerSecond?, peakMemoryBytes?, extra? },
 *                              checkpoint?: { name?, source: { file } | { bytes } } }) (atomic)
 *   store.heartbeat(runId)                                        (call during epochs longer than
 *                                                                  staleHeartbeatMs if several hosts share a data folder)
 *   store.recordPruneReport(runId, { layers: [{ layer, kept, total, flopsBefore?, … }], … })
 *   store.getPruneReport(runId)                                   → { report, layers } | null
 *   store.addArtifact(runId, { kind, name, source, epoch? })      → ArtifactRecord { hash, path, … }
 *   store.readArtifact(runId, name)                               → Buffer (verified)
 *   store.verifyArtifact(runId, name)                             → ArtifactRecord (verified)
 *   store.listArtifacts(runId) / store.metrics(runId, names?) / store.systemMetrics(runId)
 *   store.lastMetrics(runId)                                      → each metric's value at its last step
 *   store.listRuns({ task?, net?, method?, status?, role?, project?, text?, sort?, descending?, limit?, offset? })
 *   store.getRun(runId)                                           → RunRecord (throws RunNotFoundError)
 *   store.compareRuns([id, id, …])                                → { runs, differences, metrics }
 *   store.curves([id, …], ['loss', …], maxPoints)                 → Curve[] (LTTB-downsampled)
 *   store.groupBySeed(filter?)                                    → SeedGroup[] (mean ± std)
 *   store.resumableRuns()                                         → { run, lastEpoch, checkpoint }[]
 *   store.exportRun(runId, 'csv'|'json'|'bundle', out)            → files written
 *   exportRunsCsv(store, runIds, outDir) / runToJson(store, runId) → several runs' tables / one run as a value
 *   store.exportRun(runId, 'bundle', dir, { origin? })            → a bundle; origin: what the importer records
 *   store.importBundle(dir)                                       → { run, alreadyImported } (through store.importRun;
 *                                                                  a uuid already here is not imported again)
 *   store.importBundles([path, …])                                → the same for every bundle under the paths
 *   store.deleteRun(runId)
 *   store.paths                                                   → { dataDir, database, checkpoints, predictions, … }
 *
 * Errors are StoreError subclasses whose message names the run, file or field at fault:
 * RunNotFoundError, ArtifactIntegrityError (missing/altered file), BundleError, SchemaVersionError.
 */
import { Store, type OpenStoreOptions } from './store.js';

export function openStore(options: OpenStoreOptions = {}): Store {
  return new Store(options);
}

export { Store, type ExportFormat, type OpenStoreOptions } from './store.js';
export type { StoreApi, ImportedRun, BundleImport, BundleOptions } from './store-api.js';
export { defaultDataDir, resolveDataPaths, type DataPaths, type DataDirOptions } from './paths.js';
export {
  ArtifactIntegrityError,
  BundleError,
  RunNotFoundError,
  SchemaVersionError,
  StoreError,
} from './errors.js';
export { LATEST_SCHEMA_VERSION } from './migrations/index.js';
export { downsampleLttb } from './downsample.js';
export { exportRunsCsv, runsToCsv, metricsToCsv, runToJson, type RunExportJson } from './export.js';
export * from './types.js';
