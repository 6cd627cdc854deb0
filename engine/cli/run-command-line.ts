import { commands } from './commands/index.js';
import { UsageError, type CliIO } from './command.js';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'ranp — RANP Studio command line',
    '',
    'Usage: ranp <command> [options]   (ranp <command> --help for its options)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/**
 * One `ranp` invocation; returns the exit code: 0 done, 2 a usage error (printed with the
 * command's usage text), 1 any other failure, or what the command returned.
 */
export async function runCommandLine(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`ranp: unknown command '${name}'.\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`ranp ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    io.err(`ranp ${name}: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.RANP_DEBUG) console.error(error);
    return 1;
  }
}
