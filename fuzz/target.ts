import type { Random } from './random.js';

/**
 * A parser under fuzz. A new target is one file in targets/ plus one line in targets/index.ts.
 * Outcome per input: `run` resolves (a valid result) or throws an error for which
 * `isSpecificError` is true (a clear rejection). Anything else — another exception, a hang past
 * the time limit, running out of memory, a dead worker — is a finding.
 */
export interface FuzzTarget {
  name: string;
  /** Valid inputs that mutations start from. */
  corpus(): Promise<Uint8Array[]>;
  /** One mutated input; the runner applies it one to a few times in a row. */
  mutate(input: Uint8Array, random: Random, corpus: Uint8Array[]): Uint8Array;
  run(input: Uint8Array, scratchDir: string): Promise<unknown>;
  isSpecificError(error: unknown): boolean;
}

/** For targets whose parsers reject with their own error classes carrying a message. */
export function isErrorOf(...classes: (abstract new (...args: never[]) => Error)[]) {
  return (error: unknown): boolean =>
    classes.some((c) => error instanceof c) && (error as Error).message.length > 0;
}
