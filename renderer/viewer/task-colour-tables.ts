import { TASKS, type Task } from '../../engine/protocol/index.js';
import { parseColourTable, type ColourTable } from './colour-table.js';

/** Every colour table in assets/colour-tables by its path here; a volume task names its own (engine/domain/tasks.ts). */
const TABLES = import.meta.glob<unknown>('../../assets/colour-tables/*.json', {
  eager: true,
  import: 'default',
});

/** The colour table of a volume task's labels. */
export function taskColourTable(task: Task): ColourTable {
  const name = TASKS[task].labelColours;
  const file = `assets/colour-tables/${name}.json`;
  const json = name === null ? undefined : TABLES[`../../${file}`];
  if (json === undefined)
    throw new Error(
      `task '${task}' has no label colour table: its labelColours in engine/domain/tasks.ts is ${name === null ? 'null' : `'${name}', but ${file} does not exist`}`,
    );
  return parseColourTable(json, file);
}
