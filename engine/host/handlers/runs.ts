import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ProtocolError } from '../../protocol/errors.js';
import type { Curve, RunSummary } from '../../protocol/runs.js';
import type { Scalar } from '../../protocol/common.js';
import { NoTrainedNetError } from '../../experiment/trained-net.js';
import { exportRunNet } from '../../interchange/index.js';
import { flattenJson } from '../../store/compare.js';
import type { Store } from '../../store/index.js';
import type { JsonValue } from '../../store/types.js';
import type { Handler } from '../context.js';
import { lookup, parseRunId } from './run-lookup.js';
import { curveMetricNames, runSummary } from './run-summary.js';

function scalar(value: JsonValue | undefined): Scalar {
  if (value === undefined) return null;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
}

function curvesOf(store: Store, ids: number[]): Curve[] {
  return store
    .curves(ids, curveMetricNames(store, ids))
    .filter((c) => c.points.length > 0)
    .map((c) => ({
      runId: String(c.runId),
      metric: c.name,
      points: c.points.map((p): [number, number] => [p.step, p.value]),
    }));
}

export const listRuns: Handler<'runs.list'> = async (_params, ctx) => {
  const store = ctx.store();
  const queuePositions = new Map(
    ctx.jobs.active.flatMap((j) => (j.queuePosition ? j.runIds.map((id) => [id, j.queuePosition]) : [])),
  );
  return {
    runs: store.listRuns({ sort: 'createdAt', descending: true }).map((r) => {
      const queuePosition = queuePositions.get(String(r.id));
      return { ...runSummary(store, r), ...(queuePosition ? { queuePosition } : {}) };
    }),
  };
};

export const getRun: Handler<'runs.get'> = async ({ id }, ctx) => {
  const store = ctx.store();
  const run = lookup(() => store.getRun(parseRunId(id)));
  return {
    ...runSummary(store, run),
    params: Object.fromEntries([...flattenJson(run.config)].map(([k, v]) => [k, scalar(v)])),
    curves: curvesOf(store, [run.id]),
    predictions: [...ctx.evaluations.predictionsBySample(store, run.id).keys()],
    perSample: ctx.evaluations.perSample(store, run.id),
    ...(run.error !== null ? { error: run.error } : {}),
    ...(run.environment
      ? {
          environment: Object.fromEntries([...flattenJson(run.environment)].map(([k, v]) => [k, scalar(v)])),
        }
      : {}),
  };
};

export const compareRuns: Handler<'runs.compare'> = async ({ ids }, ctx) => {
  const store = ctx.store();
  const numeric = ids.map(parseRunId);
  const runs: RunSummary[] = numeric.map((id) =>
    runSummary(
      store,
      lookup(() => store.getRun(id)),
    ),
  );
  const differingParams =
    numeric.length < 2
      ? []
      : lookup(() => store.compareRuns(numeric)).differences.map((d) => ({
          key: d.key,
          values: d.values.map(scalar),
        }));
  const pruneLayers = numeric.flatMap((id) => {
    const report = store.getPruneReport(id);
    return report
      ? [
          {
            runId: String(id),
            layers: report.layers.map((l) => ({ name: l.layer, kept: l.kept, total: l.total })),
          },
        ]
      : [];
  });
  // The same grouping and statistics as 'ranp compare --seeds', per kind of run compared.
  const kinds = [...new Set(numeric.map((id) => store.getRun(id).task))];
  const seedGroups = kinds.flatMap((task) =>
    store.groupBySeed({ task }, numeric).map(({ key: _key, runIds, ...group }) => ({
      ...group,
      runIds: runIds.map(String),
    })),
  );
  return { runs, differingParams, curves: curvesOf(store, numeric), pruneLayers, seedGroups };
};

/** Exports go to <data dir>/exports; the UI shows where. */
export const exportRun: Handler<'runs.export'> = async ({ id, format }, ctx) => {
  const store = ctx.store();
  const run = lookup(() => store.getRun(parseRunId(id)));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = path.join(ctx.dataDir, 'exports', `run-${run.id}-${stamp}`);
  mkdirSync(path.dirname(base), { recursive: true });
  let files: string[];
  let out: string | undefined;
  if (format === 'onnx' || format === 'pytorch') {
    out = `${base}-${format}`;
    try {
      files = (await exportRunNet(store, run.id, format, out)).files;
    } catch (error) {
      if (error instanceof NoTrainedNetError) throw new ProtocolError('not-found', error.message);
      throw error;
    }
  } else if (format === 'net') {
    const net = store.listArtifacts(run.id).find((a) => a.kind === 'net');
    if (!net) throw new ProtocolError('not-found', `run ${run.id} has no stored net`);
    files = [`${base}-net.json`];
    writeFileSync(files[0], store.readArtifact(run.id, net.name));
  } else if (format === 'json') {
    files = store.exportRun(run.id, 'json', `${base}.json`);
  } else {
    files = store.exportRun(run.id, 'csv', base);
  }
  out ??= format === 'csv' ? base : files[0];
  return { path: out, bytes: files.reduce((sum, f) => sum + statSync(f).size, 0) };
};

export const deleteRun: Handler<'runs.delete'> = async ({ id }, ctx) => {
  const store = ctx.store();
  const numeric = parseRunId(id);
  const owner = ctx.jobs.active.find((j) => j.runIds.includes(id));
  if (owner)
    throw new ProtocolError(
      'busy',
      `run ${id} belongs to the ${owner.state} experiment '${owner.title}'; cancel it first`,
    );
  lookup(() => store.deleteRun(numeric));
  return { deleted: true };
};
