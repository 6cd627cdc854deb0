import { optionalNumber, parseChoice, parseCommandArgs, parseRunId } from '../args.js';
import { UsageError, type CliCommand, type CliIO } from '../command.js';
import { formatTable } from '../format.js';
import { openStoreAt, STORE_LOCATION_OPTIONS } from '../store-options.js';
import {
  runToJson,
  RUN_STATUSES,
  RUN_TASKS,
  type ExportFormat,
  type RunFilter,
  type RunSortKey,
  type RunStatus,
  type RunTask,
  type Store,
} from '../../store/index.js';
import { flattenJson } from '../../store/compare.js';
import type { JsonObject } from '../../store/types.js';

const USAGE = `Usage: ranp runs <action> [options]

Actions:
  list                          runs, newest last (filters below)
  show ID                       one run: fields, config, last metrics, prune report, artifacts
  compare ID ID [ID…]           config values that differ; best and last value of each metric
  export ID --format csv|json|bundle [--out PATH]
                                csv: folder of tables; json: one file (stdout without --out);
                                bundle: self-contained folder for 'ranp runs import'
  import PATH [PATH…]           add the runs of bundles to this store (verifies every file); a
                                PATH is a bundle or a folder of bundles (e.g. a study's bundles/);
                                a run already here is skipped ("already imported")
  delete ID                     remove a run, its metrics and unshared artifact files

Options:
  --data-dir DIR   store folder (default: $RANP_DATA_DIR, else the platform's app-data folder)
  --db FILE        database file (artifacts stay in the data folder)
  --json           machine-readable output
  list filters:    --task ${RUN_TASKS.join('|')}  --net NAME  --method NAME  --status STATUS
                   --text SUBSTRING  --sort id|createdAt|net|method|sparsity|status|task  --desc  --limit N`;

const SORT_KEYS: readonly RunSortKey[] = ['id', 'createdAt', 'net', 'method', 'sparsity', 'status', 'task'];
const FORMATS: readonly ExportFormat[] = ['csv', 'json', 'bundle'];

const formatNumber = (value: number | null | undefined) =>
  value === null || value === undefined
    ? null
    : Number.isInteger(value)
      ? value
      : Number(value.toPrecision(5));

function printJson(io: CliIO, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

function list(store: Store, filter: RunFilter, io: CliIO, json: boolean): void {
  const runs = store.listRuns(filter);
  if (json) return printJson(io, runs);
  if (runs.length === 0) return io.out('no runs');
  io.out(
    formatTable(
      [
        'id',
        'status',
        'task',
        'net',
        'method',
        'sparsity',
        'λ',
        'backend',
        'seed',
        'role',
        'created',
        'name',
        'origin',
      ],
      runs.map((r) => [
        r.id,
        r.status,
        r.task,
        r.net,
        r.method,
        formatNumber(r.sparsity),
        formatNumber(r.lambda),
        r.backend,
        r.seed,
        r.role,
        new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' '),
        r.name,
        r.origin ?? 'local',
      ]),
    ),
  );
}

function show(store: Store, id: number, io: CliIO, json: boolean): void {
  const run = store.getRun(id);
  const last = store.lastMetrics(id);
  const report = store.getPruneReport(id);
  const artifacts = store.listArtifacts(id);
  if (json) return printJson(io, { run, lastMetrics: last, pruneReport: report, artifacts });
  const fields: [string, string | number | null][] = [
    ['id', run.id],
    ['uuid', run.uuid],
    ['project', run.project],
    ['name', run.name],
    ['status', run.status + (run.error ? ` (${run.error})` : '')],
    ['task', run.task],
    ['dataset', run.dataset],
    ['net', run.net],
    ['method', run.method],
    ['sparsity', formatNumber(run.sparsity)],
    ['lambda', formatNumber(run.lambda)],
    ['seed', run.seed],
    ['role', run.role],
    ['parent run', run.parentRunId],
    ['backend', [run.backend, run.device].filter(Boolean).join(' / ') || null],
    ['app version', run.appVersion],
    ['origin', run.origin ?? 'made in this store'],
    ['created', new Date(run.createdAt).toISOString()],
    ['started', run.startedAt === null ? null : new Date(run.startedAt).toISOString()],
    ['ended', run.endedAt === null ? null : new Date(run.endedAt).toISOString()],
  ];
  io.out(fields.map(([k, v]) => `${k.padEnd(12)} ${v ?? '-'}`).join('\n'));
  io.out(`\nconfig\n${JSON.stringify(run.config, null, 2)}`);
  io.out(
    `\nenvironment\n${run.environment ? formatEnvironment(run.environment) : '(not recorded: run stored before schema v4)'}`,
  );
  if (last.length)
    io.out(
      `\nlast metrics\n${formatTable(
        ['metric', 'step', 'value'],
        last.map((m) => [m.name, m.step, formatNumber(m.value)]),
      )}`,
    );
  if (report) {
    io.out(
      `\nprune report\n${formatTable(
        ['layer', 'kept', 'total', 'flops before', 'flops after'],
        report.layers.map((l) => [l.layer, l.kept, l.total, l.flopsBefore ?? null, l.flopsAfter ?? null]),
      )}`,
    );
  }
  if (artifacts.length) {
    io.out(
      `\nartifacts\n${formatTable(
        ['name', 'kind', 'epoch', 'bytes', 'sha256'],
        artifacts.map((a) => [a.name, a.kind, a.epoch, a.size, a.hash.slice(0, 16)]),
      )}`,
    );
  }
}

/** One line per leaf of the environment, e.g. "native.isa  avx512_core_bf16" and "data.data.digest  …". */
function formatEnvironment(environment: JsonObject): string {
  const rows = [...flattenJson(environment)].map(([key, value]) => [
    key,
    typeof value === 'string' ? value : JSON.stringify(value),
  ]);
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`).join('\n');
}

function compare(store: Store, ids: number[], io: CliIO, json: boolean): void {
  const comparison = store.compareRuns(ids);
  if (json) return printJson(io, comparison);
  const header = ['', ...ids.map((id) => `run ${id}`)];
  const show = (v: unknown) => (v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v));
  io.out(
    comparison.differences.length
      ? `differing parameters\n${formatTable(
          header,
          comparison.differences.map((d) => [d.key, ...d.values.map(show)]),
        )}`
      : 'no differing parameters',
  );
  if (comparison.metrics.length) {
    const at = (s: { step: number; value: number } | null) =>
      s ? `${formatNumber(s.value)} @${s.step}` : null;
    const rows = comparison.metrics.flatMap((m) => [
      [`${m.name} best (${m.better})`, ...m.best.map(at)],
      [`${m.name} last`, ...m.last.map(at)],
    ]);
    io.out(`\nmetrics\n${formatTable(header, rows)}`);
  }
}

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'list, show, compare, export, import and delete stored runs',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        ...STORE_LOCATION_OPTIONS,
        json: { type: 'boolean', default: false },
        task: { type: 'string' },
        net: { type: 'string' },
        method: { type: 'string' },
        status: { type: 'string' },
        text: { type: 'string' },
        sort: { type: 'string' },
        desc: { type: 'boolean', default: false },
        limit: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
      },
      { positionals: true },
    );
    const [action, ...args] = positionals;
    if (!action) throw new UsageError('missing action');
    const store = openStoreAt(values);
    try {
      switch (action) {
        case 'list': {
          const limit = optionalNumber('limit', values.limit, 'a positive integer');
          list(
            store,
            {
              task: parseChoice<RunTask>('task', values.task, RUN_TASKS),
              net: values.net,
              method: values.method,
              status: parseChoice<RunStatus>('status', values.status, RUN_STATUSES),
              text: values.text,
              sort: parseChoice('sort', values.sort, SORT_KEYS),
              descending: values.desc,
              limit,
            },
            io,
            values.json,
          );
          return 0;
        }
        case 'show':
          show(store, parseRunId(args[0]), io, values.json);
          return 0;
        case 'compare':
          if (args.length < 2) throw new UsageError('compare needs at least two run ids');
          compare(
            store,
            args.map((a) => parseRunId(a)),
            io,
            values.json,
          );
          return 0;
        case 'export': {
          const id = parseRunId(args[0]);
          const format = parseChoice('format', values.format, FORMATS);
          if (!format) throw new UsageError('export needs --format csv|json|bundle');
          if (format === 'json' && !values.out) {
            io.out(JSON.stringify(runToJson(store, id), null, 2));
            return 0;
          }
          if (!values.out) throw new UsageError(`--format ${format} writes a folder: give --out PATH`);
          const files = store.exportRun(id, format, values.out);
          if (values.json) printJson(io, { files });
          else io.out(`run ${id} exported (${format}):\n${files.map((f) => `  ${f}`).join('\n')}`);
          return 0;
        }
        case 'import': {
          if (!args.length) throw new UsageError('import needs a bundle folder or a folder of bundles');
          const results = store.importBundles(args);
          if (results.length === 0)
            throw new Error(`no run bundles (folders with manifest.json) in ${args.join(', ')}`);
          const added = results.filter((r) => !r.alreadyImported).length;
          if (values.json)
            printJson(io, {
              imported: added,
              alreadyImported: results.length - added,
              runs: results.map((r) => ({
                bundle: r.bundle,
                id: r.run.id,
                uuid: r.run.uuid,
                alreadyImported: r.alreadyImported,
              })),
            });
          else
            io.out(
              [
                ...results.map(({ run, alreadyImported }) =>
                  alreadyImported
                    ? `already imported: run ${run.uuid} is run ${run.id}`
                    : `imported run ${run.uuid} as run ${run.id} (${run.net}, ${run.role ?? run.task}, ${run.status})`,
                ),
                `${added} imported, ${results.length - added} already imported`,
              ].join('\n'),
            );
          return 0;
        }
        case 'delete': {
          const id = parseRunId(args[0]);
          store.deleteRun(id);
          if (values.json) printJson(io, { deleted: id });
          else io.out(`deleted run ${id}`);
          return 0;
        }
        default:
          throw new UsageError(`unknown action '${action}'`);
      }
    } finally {
      store.dispose();
    }
  },
};
