import type { CliCommand } from '../command.js';
import { dataCommand } from './data.js';
import { doctorCommand } from './doctor.js';
import { infoCommand } from './info.js';
import { runsCommand } from './runs.js';

/** Every `ranp` subcommand, one line each. */
export const commands: CliCommand[] = [
  dataCommand,
  doctorCommand,
  infoCommand,
  runsCommand,
];
