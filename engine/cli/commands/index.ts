import type { CliCommand } from '../command.js';
import { dataCommand } from './data.js';
import { compareCommand } from './compare.js';
import { doctorCommand } from './doctor.js';
import { evalCommand } from './eval.js';
import { experimentCommand } from './experiment.js';
import { exportCommand } from './export.js';
import { infoCommand } from './info.js';
import { pruneCommand } from './prune.js';
import { runsCommand } from './runs.js';
import { studyCommand } from './study.js';
import { trainCommand } from './train.js';

/** Every `ranp` subcommand, one line each. */
export const commands: CliCommand[] = [
  compareCommand,
  dataCommand,
  doctorCommand,
  evalCommand,
  experimentCommand,
  exportCommand,
  infoCommand,
  pruneCommand,
  runsCommand,
  studyCommand,
  trainCommand,
];
