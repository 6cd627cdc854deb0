import { mount } from 'svelte';
import App from './App.svelte';
import { connectEngine, electronBridge } from './api/connect.js';
import { AppState } from './state.svelte.js';
import './styles.css';

const bridge = electronBridge();
const app = new AppState(connectEngine());
void app.load();
mount(App, {
  target: document.getElementById('app') as HTMLElement,
  props: { app, pickFolder: bridge ? () => bridge.pickFolder() : undefined },
});
