/**
 * The viewer's end-to-end tests in Debian's Chromium (WebGL2 on SwiftShader). One Vite server and one
 * browser serve all suites: starting them costs ~20 s, more than most suites.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { mriSuite } from './viewer-mri.suite.js';
import { orientationSuite } from './viewer-orientation.suite.js';
import { shapeNetSuite } from './viewer-shapenet.suite.js';
import { openHarness, type HarnessSession } from './viewer-support.js';

let session: HarnessSession | null = null;
const open = (): HarnessSession => {
  if (!session) throw new Error('the viewer harness did not open');
  return session;
};

beforeAll(async () => {
  session = await openHarness();
});

afterAll(async () => {
  await session?.close();
});

describe('viewer: real MRI comparison', () => mriSuite(open));
describe('viewer: orientation', () => orientationSuite(open));
describe('viewer: ShapeNet voxels', () => shapeNetSuite(open));
