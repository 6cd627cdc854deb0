import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Shared test setup: tfjs quiet and on the plain cpu backend unless a test picks another.
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
// Commands that store their runs by default (ranp prune, train, experiment) write to a fresh folder
// per test file, never to the user's own store; tests that check a store name their own.
const testStore = mkdtempSync(join(tmpdir(), 'ranp-test-store-'));
process.env.RANP_DATA_DIR = testStore;
afterAll(() => rmSync(testStore, { recursive: true, force: true }));
