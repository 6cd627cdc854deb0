#!/usr/bin/env node
// `npm run cycles`: fails on an import cycle among the project's modules (scripts/import-cycles.ts).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../scripts/import-cycles.ts');
process.exitCode = main();
