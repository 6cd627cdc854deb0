#!/usr/bin/env node
// `npm run fuzz`: the long fuzz run over every parser (fuzz/cli.ts; README.md, "Bad input (fuzzing)").
import { register } from 'tsx/esm/api';

register();
await import('../fuzz/cli.ts');
