import type { CliIO } from './command.js';
import { runCommandLine } from './run-command-line.js';

const io: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

process.exitCode = await runCommandLine(process.argv.slice(2), io);
