import type { CliCommand } from '../command.js';

/** Every `ranp` subcommand, one line each. */
export const commands: CliCommand[] = [];
