import { formatDuration, type EpochValue, type RunSummary } from '../engine/protocol/index.js';
import { formatDate, formatFlops, formatMB, formatPercent } from './format.js';

/** One column of the runs table: how a run reads in it, how it sorts, whether it shows by default. */
export interface RunColumn {
  id: string;
  title: string;
  /** Sort key; undefined sorts last. */
  sortValue(run: RunSummary): string | number | undefined;
  text(run: RunSummary): string;
  /** Full value on hover (e.g. the whole dataset path). */
  hint?(run: RunSummary): string;
  shownByDefault: boolean;
}

/** "16³" for a cube, else "16×112×112". */
export function formatInputSize(size: readonly number[] | undefined): string {
  if (!size) return '—';
  return size.every((n) => n === size[0]) ? `${size[0]}³` : size.join('×');
}

/** "0.268 (epoch 1)". */
export function formatEpochValue(v: EpochValue | undefined): string {
  return v ? `${v.value.toPrecision(3)} (epoch ${v.epoch})` : '—';
}

function lastPart(p: string): string {
  return (
    p
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? p
  );
}

const dash = (v: string | undefined) => v ?? '—';

export const RUN_COLUMNS: RunColumn[] = [
  { id: 'name', title: 'Name', sortValue: (r) => r.name, text: (r) => r.name, shownByDefault: true },
  { id: 'task', title: 'Task', sortValue: (r) => r.task, text: (r) => r.task, shownByDefault: false },
  { id: 'net', title: 'Network', sortValue: (r) => r.net, text: (r) => r.net, shownByDefault: true },
  {
    id: 'method',
    title: 'Method',
    sortValue: (r) => (r.pruned ? r.method : ''),
    text: (r) => (r.pruned ? r.method : 'unpruned'),
    shownByDefault: true,
  },
  {
    id: 'sparsity',
    title: 'Removed',
    sortValue: (r) => (r.pruned ? r.sparsity : 0),
    text: (r) => (r.pruned ? formatPercent(r.sparsity, 0) : '—'),
    shownByDefault: true,
  },
  { id: 'status', title: 'Status', sortValue: (r) => r.status, text: (r) => r.status, shownByDefault: true },
  {
    id: 'best',
    title: 'Best',
    sortValue: (r) => r.headline?.best?.value,
    text: (r) => formatEpochValue(r.headline?.best),
    hint: (r) => (r.headline ? `best validation ${r.headline.metric}` : ''),
    shownByDefault: true,
  },
  {
    id: 'last',
    title: 'Last',
    sortValue: (r) => r.headline?.last?.value,
    text: (r) => formatEpochValue(r.headline?.last),
    hint: (r) => (r.headline ? `last validation ${r.headline.metric}` : ''),
    shownByDefault: true,
  },
  {
    id: 'flops',
    title: 'Computation',
    sortValue: (r) => r.resources?.flops,
    text: (r) => (r.resources ? formatFlops(r.resources.flops) : '—'),
    shownByDefault: true,
  },
  {
    id: 'dataset',
    title: 'Dataset',
    sortValue: (r) => r.dataPath,
    text: (r) => (r.dataPath ? lastPart(r.dataPath) : '—'),
    hint: (r) => r.dataPath ?? '',
    shownByDefault: true,
  },
  {
    id: 'input',
    title: 'Input',
    sortValue: (r) => r.inputSize?.reduce((a, b) => a * b, 1),
    text: (r) => formatInputSize(r.inputSize),
    shownByDefault: true,
  },
  {
    id: 'width',
    title: 'Width',
    sortValue: (r) => r.width,
    text: (r) => (r.width !== undefined ? `${r.width}×` : '—'),
    shownByDefault: false,
  },
  {
    id: 'epochs',
    title: 'Epochs',
    sortValue: (r) => r.epochsDone,
    text: (r) => (r.epochs !== undefined ? `${r.epochsDone}/${r.epochs}` : String(r.epochsDone)),
    shownByDefault: true,
  },
  {
    id: 'duration',
    title: 'Duration',
    sortValue: (r) => r.durationSeconds,
    text: (r) => (r.durationSeconds !== undefined ? formatDuration(r.durationSeconds) : '—'),
    shownByDefault: true,
  },
  {
    id: 'memory',
    title: 'Peak memory',
    sortValue: (r) => r.peakMemoryMB,
    text: (r) => (r.peakMemoryMB !== undefined ? formatMB(r.peakMemoryMB) : '—'),
    hint: () => 'peak resident memory of the training process',
    shownByDefault: false,
  },
  {
    id: 'backend',
    title: 'Backend',
    sortValue: (r) => r.backend,
    text: (r) => dash(r.backend),
    shownByDefault: false,
  },
  {
    id: 'seed',
    title: 'Seed',
    sortValue: (r) => r.seed,
    text: (r) => (r.seed !== undefined ? String(r.seed) : '—'),
    shownByDefault: false,
  },
  {
    id: 'lambda',
    title: 'λ',
    sortValue: (r) => r.lambda,
    text: (r) => (r.lambda !== undefined ? String(r.lambda) : '—'),
    shownByDefault: false,
  },
  {
    id: 'origin',
    title: 'Origin',
    sortValue: (r) => r.origin ?? '',
    text: (r) => r.origin ?? 'local',
    hint: () => 'where an imported run came from (local: made in this store)',
    shownByDefault: true,
  },
  {
    id: 'createdAt',
    title: 'Created',
    sortValue: (r) => r.createdAt,
    text: (r) => formatDate(r.createdAt),
    shownByDefault: true,
  },
];

export const DEFAULT_COLUMN_IDS = RUN_COLUMNS.filter((c) => c.shownByDefault).map((c) => c.id);

/** Ascending order with missing values last (also when descending). */
export function compareRuns(
  column: RunColumn,
  descending: boolean,
): (a: RunSummary, b: RunSummary) => number {
  return (a, b) => {
    const [x, y] = [column.sortValue(a), column.sortValue(b)];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return descending ? -order : order;
  };
}
