import type { CliIO } from '../../../engine/cli/command.js';
import { runCommandLine } from '../../../engine/cli/run-command-line.js';

/** `ranp ARGV…` in this process through the CLI's own entry, with what it printed (a line each). */
export async function ranp(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), interactive: false };
  const code = await runCommandLine(argv, io);
  return { code, out, err };
}
