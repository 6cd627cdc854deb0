#!/usr/bin/env node
// `npm run killtest -- --kills 100`: the SIGKILL loop at scale (not part of `npm test`, which runs a short one).
import { register } from 'tsx/esm/api';

register();
await import('../test/integration/kill-loop-cli.ts');
