#!/usr/bin/env node
// `npm run bench`: speed measurements (not part of `npm test`). Runs the TypeScript through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../bench/main.ts');
