import type { ViewName } from './state.svelte.js';

/** What a reload (or a pasted link) brings back: the section, the dataset folder, the selected runs. */
export interface UiState {
  view: ViewName;
  /** The dataset folder in use (checked again by the engine on restore). */
  dataset?: string;
  /** Runs selected in the run list, which are also the ones compared. */
  runs: string[];
}

const VIEWS: readonly ViewName[] = ['data', 'experiment', 'runs', 'compare'];
const STORAGE_KEY = 'ranp-ui';

function fromParams(params: URLSearchParams): Partial<UiState> {
  const view = params.get('view');
  const runs = params.get('runs');
  const dataset = params.get('data');
  return {
    ...(view && (VIEWS as string[]).includes(view) ? { view: view as ViewName } : {}),
    ...(runs !== null ? { runs: runs.split(',').filter((id) => /^\d+$/.test(id)) } : {}),
    ...(dataset ? { dataset } : {}),
  };
}

/**
 * The state in the URL fragment (#token=…&view=compare&runs=3,4&data=…) wins over the one last
 * kept in local storage, so a shared or pasted link opens what it names.
 */
export function restoreUiState(hash: string, storage: Pick<Storage, 'getItem'>): UiState {
  let stored: Partial<UiState> = {};
  try {
    stored = fromParams(new URLSearchParams(storage.getItem(STORAGE_KEY) ?? ''));
  } catch {
    stored = {};
  }
  const linked = fromParams(new URLSearchParams(hash.replace(/^#/, '')));
  return { view: 'data', runs: [], ...stored, ...linked };
}

/** The fragment for `state`, keeping every other parameter (the session token) as it was. */
export function uiStateHash(hash: string, state: UiState): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.set('view', state.view);
  if (state.runs.length) params.set('runs', state.runs.join(','));
  else params.delete('runs');
  if (state.dataset) params.set('data', state.dataset);
  else params.delete('data');
  return `#${params.toString()}`;
}

/** Keeps `state` in local storage (the next visit) and in the address bar (a reload, a copied link). */
export function saveUiState(
  state: UiState,
  storage: Pick<Storage, 'setItem'>,
  location: Pick<Location, 'hash'>,
  replace: (hash: string) => void,
): void {
  const hash = uiStateHash(location.hash, state);
  // The session key belongs to this tab and this engine run, not to the next visit.
  const kept = new URLSearchParams(hash.slice(1));
  kept.delete('token');
  storage.setItem(STORAGE_KEY, kept.toString());
  if (hash !== location.hash) replace(hash);
}
