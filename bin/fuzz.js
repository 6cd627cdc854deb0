#!/usr/bin/env node
// `npm run fuzz`: the long fuzz run over every parser (see fuzz/README.md).
import { register } from 'tsx/esm/api';

register();
await import('../fuzz/cli.ts');
