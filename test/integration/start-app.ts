import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface StartedApp {
  process: ChildProcess;
  /** The URL `npm start` printed (holds the session key). */
  url: string;
  output(): string;
  /** Resolves with the exit code (or signal) once the start script has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `node bin/start.js --browser --no-open ...args` in `repoDir` (or the same through
 * `npm start --`, as a user types it) and waits for the line naming the URL it serves.
 */
export async function startApp(
  repoDir: string,
  args: string[],
  options: { timeoutMs: number; via?: 'node' | 'npm'; env?: NodeJS.ProcessEnv },
): Promise<StartedApp> {
  const { timeoutMs, via = 'node', env = process.env } = options;
  const appArgs = ['--browser', '--no-open', ...args];
  const [command, ...commandArgs] =
    via === 'npm'
      ? ['npm', 'start', '--', ...appArgs]
      : [process.execPath, path.join(repoDir, 'bin/start.js'), ...appArgs];
  const child = spawn(command, commandArgs, { cwd: repoDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`npm start printed no URL in ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      const found = /Open: (http\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(found[1]);
      }
    }, 100);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`npm start exited (${code ?? signal}) before serving; output:\n${output}`));
    });
  });
  return { process: child, url, output: () => output, exited };
}
