import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'store-writer-child.ts');

export interface WriterChild {
  process: ChildProcess;
  /** Resolves with the run id once the child has created its run. */
  runId: Promise<number>;
  /** Highest epoch the child reported committed (-1 before the first). */
  committedEpoch(): number;
  /** Resolves when the child reports epoch >= n. */
  untilEpoch(n: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Spawns store-writer-child.ts under `node --import tsx` (a real second process on the same store). */
export function spawnWriter(
  dataDir: string,
  args: { epochs: number | 'forever'; perEpoch: number; checkpointBytes?: number; delayMs?: number },
): WriterChild {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CHILD,
      dataDir,
      String(args.epochs),
      String(args.perEpoch),
      String(args.checkpointBytes ?? 0),
      String(args.delayMs ?? 0),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let committed = -1;
  let stderr = '';
  let buffered = '';
  const waiters: { n: number; resolve: () => void }[] = [];
  let resolveRun: (id: number) => void;
  let rejectRun: (error: Error) => void;
  const runId = new Promise<number>((resolve, reject) => {
    resolveRun = resolve;
    rejectRun = reject;
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [word, value] = line.split(' ');
      if (word === 'run') resolveRun(Number(value));
      if (word === 'epoch') committed = Number(value);
    }
    for (const w of waiters.filter((w) => committed >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) =>
      child.on('exit', (code, signal) => {
        rejectRun(new Error(`writer child exited (${code ?? signal}) before creating its run: ${stderr}`));
        resolve({ code, signal, stderr });
      }),
  );
  return {
    process: child,
    runId,
    committedEpoch: () => committed,
    untilEpoch: (n) =>
      committed >= n
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiters.push({ n, resolve })),
            exited.then(({ code, signal, stderr: err }) => {
              throw new Error(`writer child exited (${code ?? signal}) before epoch ${n}: ${err}`);
            }),
          ]),
    exited,
  };
}
