import { z } from 'zod';

/** Why a request failed; the UI words its message from the code, the engine adds specifics. */
export const ErrorCodeSchema = z.enum([
  'invalid-message', //  not JSON, too large, or not a request envelope
  'unknown-method',
  'invalid-params',
  'not-available', //    the engine part behind this request is not built into this engine yet
  'not-found',
  'forbidden-path', //   a path outside the folders the user allowed
  'busy', //             another job is running
  'cancelled',
  'failed',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ProtocolErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string() });

/** An error that crosses the protocol: thrown by handlers in the engine, rethrown by the client. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
