#!/usr/bin/env node
// The `ranp` command. Runs the engine's TypeScript directly through tsx, so the CLI needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../engine/cli/main.ts');
