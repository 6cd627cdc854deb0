import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';

// Renderer build: root renderer/, output dist/renderer, relative asset paths so the same build
// loads from file:// in Electron and from http://127.0.0.1 in browser mode.
export default defineConfig({
  root: path.resolve('renderer'),
  base: './',
  plugins: [svelte()],
  build: {
    outDir: path.resolve('dist/renderer'),
    emptyOutDir: true,
    // No external fonts/CDNs: everything is bundled (the CSP forbids remote content).
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
  },
});
