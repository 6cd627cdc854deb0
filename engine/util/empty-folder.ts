import fs from 'node:fs';

/** Whether `dir` is absent or an empty folder: where an export may write without losing anything. */
export function isEmptyOrAbsent(dir: string): boolean {
  return !fs.existsSync(dir) || (fs.statSync(dir).isDirectory() && fs.readdirSync(dir).length === 0);
}
