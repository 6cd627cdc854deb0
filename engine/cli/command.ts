/** One `ranp` subcommand. A new command is one file in commands/ plus one line in commands/index.ts. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: progress bars are drawn only then. */
  interactive: boolean;
}

/** A user error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}
