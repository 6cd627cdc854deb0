import { ProtocolError } from '../../protocol/errors.js';

/** For requests whose engine part has not landed in this build: a clear error, never a crash. */
export function notAvailable(what: string): never {
  throw new ProtocolError('not-available', `${what} is not available in this engine build yet`);
}
