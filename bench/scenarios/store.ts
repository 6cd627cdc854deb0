import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../engine/store/index.js';
import type { CaseResult, Scenario, ScenarioContext } from '../scenario.js';
import { measure, summarize } from '../stats.js';

/** `RUNSxPOINTS`, e.g. 1000x100000: RUNS runs with POINTS metric rows each (4 metrics per step). */
export interface StoreCase {
  spec: string;
  runs: number;
  pointsPerRun: number;
}

const CASE_PATTERN = /^(\d+)x(\d+)$/;
const METRIC_NAMES = ['loss', 'val loss', 'dice', 'lr'] as const;
/** Each run's points arrive in this many recordEpoch calls (one transaction each), like a training run's epochs. */
const EPOCHS_PER_RUN = 10;
const NETS = ['unet3d-shapenet', 'unet3d-brats', 'mobilenetv2-3d-ucf101'];
const METHODS = ['ranp-f', 'ranp-b', 'snip', 'random', 'none'];
const SEEDS_PER_GROUP = 5;

export function parseStoreCase(spec: string): StoreCase {
  const m = CASE_PATTERN.exec(spec.trim());
  if (!m) throw new Error(`store case '${spec}': expected RUNSxPOINTS, e.g. 1000x100000`);
  const [runs, pointsPerRun] = [Number(m[1]), Number(m[2])];
  if (runs < 2) throw new Error(`store case '${spec}': needs at least 2 runs (compareRuns), got ${runs}`);
  if (pointsPerRun < METRIC_NAMES.length * EPOCHS_PER_RUN || pointsPerRun % METRIC_NAMES.length !== 0)
    throw new Error(
      `store case '${spec}': POINTS must be a multiple of ${METRIC_NAMES.length} (metrics per step) and at least ${METRIC_NAMES.length * EPOCHS_PER_RUN}, got ${pointsPerRun}`,
    );
  return { spec, runs, pointsPerRun };
}

/**
 * Run i: net, method and sparsity cycle so filters select subsets; seeds 0..4 within a group of
 * otherwise equal runs (groupBySeed); every 7th failed, every 13th cancelled, the rest completed.
 */
function populate(store: Store, c: StoreCase, ctx: ScenarioContext): number[] {
  const steps = c.pointsPerRun / METRIC_NAMES.length;
  const stepsPerEpoch = Math.ceil(steps / EPOCHS_PER_RUN);
  const ids: number[] = [];
  for (let i = 0; i < c.runs; i++) {
    const group = Math.floor(i / SEEDS_PER_GROUP);
    const seed = i % SEEDS_PER_GROUP;
    const method = METHODS[group % METHODS.length];
    const sparsity = method === 'none' ? 0 : [0.5, 0.7, 0.9][group % 3];
    const run = store.createRun({
      task: 'train',
      name: `bench run ${i}`,
      dataset: 'shapenet',
      net: NETS[group % NETS.length],
      method,
      sparsity,
      seed,
      role: method === 'none' ? 'unpruned' : 'pruned',
      config: { lr: 0.1 / (1 + (group % 4)), epochs: EPOCHS_PER_RUN, seed },
      status: 'running',
    });
    for (let epoch = 0; epoch < EPOCHS_PER_RUN; epoch++) {
      const metrics = [];
      for (let step = epoch * stepsPerEpoch; step < Math.min(steps, (epoch + 1) * stepsPerEpoch); step++) {
        // Noisy decaying loss: a curve LTTB has to work on, not a straight line.
        const loss = 2 * Math.exp(-step / steps) + 0.1 * Math.sin(step * 12.9898 + i);
        metrics.push(
          { name: 'loss', value: loss, step },
          { name: 'val loss', value: loss * 1.1, step },
          { name: 'dice', value: 1 - loss / 2.2, step },
          { name: 'lr', value: 0.1 * 0.5 ** Math.floor((10 * step) / steps), step },
        );
      }
      store.recordEpoch(run.id, { epoch, metrics });
    }
    store.updateRunStatus(run.id, i % 7 === 6 ? 'failed' : i % 13 === 12 ? 'cancelled' : 'completed');
    ids.push(run.id);
    if ((i + 1) % Math.max(1, Math.floor(c.runs / 10)) === 0) ctx.log(`  store ${c.spec}: ${i + 1} runs`);
  }
  return ids;
}

async function runCase(c: StoreCase, ctx: ScenarioContext): Promise<CaseResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ranp-bench-store-'));
  const store = openStore({ dataDir: dir });
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const ids = populate(store, c, ctx);
    const populateMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbBytes = fs.statSync(store.paths.database).size;
    const rows = c.runs * c.pointsPerRun;
    const common = { runs: c.runs, pointsPerRun: c.pointsPerRun, dbMiB: dbBytes / 2 ** 20 };
    const results: CaseResult[] = [
      {
        case: c.spec,
        op: 'populate (recordEpoch)',
        timing: summarize([populateMs], [(used.user + used.system) / 1000], []),
        extra: { ...common, rows, rowsPerSecond: rows / (populateMs / 1000), epochsPerRun: EPOCHS_PER_RUN },
      },
    ];
    const middle = ids[Math.floor(ids.length / 2)];
    const queries: { op: string; query: () => number }[] = [
      {
        op: 'listRuns all, newest first',
        query: () => store.listRuns({ sort: 'createdAt', descending: true }).length,
      },
      {
        op: "listRuns text 'ranp-f' + status completed",
        query: () => store.listRuns({ text: 'ranp-f', status: 'completed' }).length,
      },
      { op: 'getRun', query: () => (store.getRun(middle).id === middle ? 1 : 0) },
      {
        op: "curves 5 runs ['loss'] 1000 points",
        query: () => store.curves(ids.slice(0, 5), ['loss'], 1000).reduce((n, cv) => n + cv.points.length, 0),
      },
      { op: 'compareRuns 2 runs', query: () => store.compareRuns([ids[0], middle]).metrics.length },
      { op: 'groupBySeed', query: () => store.groupBySeed().length },
    ];
    for (const { op, query } of queries) {
      let returned = 0;
      const timing = await measure(() => {
        returned = query();
      }, ctx);
      ctx.log(`  store ${c.spec} ${op}: ${timing.medianMs.toFixed(2)} ms (returned ${returned})`);
      results.push({ case: c.spec, op, timing, extra: { ...common, returned } });
    }
    ctx.log(
      `  store ${c.spec}: ${rows} rows in ${(populateMs / 1000).toFixed(1)} s, database ${common.dbMiB.toFixed(0)} MiB`,
    );
    return results;
  } finally {
    store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const storeScenario: Scenario = {
  name: 'store',
  summary:
    'experiment store at scale: populate R runs × P metric points through recordEpoch, then median ms of listRuns, getRun, curves, compareRuns, groupBySeed',
  defaultCases: ['1000x100000'],
  cpuDefaultCases: ['1000x100000'],
  caseSyntax:
    'RUNSxPOINTS, e.g. 1000x100000 (POINTS metric rows per run, 4 metrics per step); or --runs/--points',
  backendIndependent: true,
  parseCase: parseStoreCase,
  unavailable: async () => undefined,
  async run(specs, ctx) {
    const results: CaseResult[] = [];
    for (const spec of specs) results.push(...(await runCase(parseStoreCase(spec), ctx)));
    return results;
  },
};
