import { mount } from 'svelte';
import App from './App.svelte';
import { connectEngine, electronBridge, sessionToken } from './api/connect.js';
import { AppState } from './state.svelte.js';
import { restoreUiState } from './ui-state.js';
import './styles.css';

const bridge = electronBridge();
const restored = restoreUiState(location.hash, localStorage);
const app = new AppState(connectEngine());
app.view = restored.view;
app.compareIds = restored.runs;
void app.load().then(() => (restored.dataset ? app.restoreDataset(restored.dataset) : undefined));
mount(App, {
  target: document.getElementById('app') as HTMLElement,
  props: { app, pickFolder: bridge ? () => bridge.pickFolder() : undefined },
});

// Browser mode: the engine restarted and its new address was pasted into this tab (only the
// fragment changed, so the browser does not load the page): connect again with the new key. The
// section, dataset and selection come back from the address and local storage.
if (!bridge) {
  const token = sessionToken();
  window.addEventListener('hashchange', () => {
    const pasted = new URLSearchParams(location.hash.slice(1)).get('token');
    if (pasted && pasted !== token) {
      sessionStorage.setItem('ranp-token', pasted);
      location.reload();
    }
  });
}
