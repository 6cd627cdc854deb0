#!/usr/bin/env node
// `npm run audit`: runtime dependency advisories (scripts/audit.ts). Runs the TypeScript through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../scripts/audit.ts');
