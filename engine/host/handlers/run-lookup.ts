import { ProtocolError } from '../../protocol/errors.js';
import { RunNotFoundError } from '../../store/errors.js';

/** A run id from the protocol (a string) as the store's number; anything else is an unknown run. */
export function parseRunId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ProtocolError('not-found', `no run with id '${id}'`);
  return n;
}

/** Store lookups of unknown runs become 'not-found' for the UI. */
export function lookup<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RunNotFoundError) throw new ProtocolError('not-found', error.message);
    throw error;
  }
}
