import { z } from 'zod';
import { encodeBinaryFrame, parseRequest } from '../protocol/envelope.js';
import { ProtocolError } from '../protocol/errors.js';
import { BINARY_METHODS, isMethodName, methods, type MethodName } from '../protocol/methods.js';
import type { Handler, HandlerTable, HostContext } from './context.js';

/** What goes back for one incoming frame: a JSON text frame, then optionally a binary frame. */
export interface Reply {
  text: string;
  binary?: Uint8Array;
}

/**
 * Handles one incoming text frame and never throws: malformed or unknown messages, invalid params
 * and handler failures all become error responses, so no message can take the engine down.
 */
export function createDispatcher(
  handlers: HandlerTable,
  ctx: HostContext,
): (frame: string) => Promise<Reply> {
  return async (frame) => {
    const parsed = parseRequest(frame);
    if (!parsed.ok) return errorReply(parsed.id, parsed.error.code, parsed.error.message);
    const { id, method, params } = parsed.request;
    if (!isMethodName(method))
      return errorReply(id, 'unknown-method', `unknown method '${method.slice(0, 100)}'`);
    const checked = methods[method].params.safeParse(params ?? {});
    if (!checked.success)
      return errorReply(id, 'invalid-params', `${method}: ${z.prettifyError(checked.error)}`);
    try {
      const reply = await (handlers[method] as Handler<MethodName>)(checked.data as never, ctx);
      const { result, payload } = BINARY_METHODS.has(method)
        ? (reply as { result: unknown; payload: Uint8Array })
        : { result: reply, payload: undefined };
      // The engine checks its own answers too: a schema drift shows up here, named, not as a UI crash.
      const valid = methods[method].result.safeParse(result);
      if (!valid.success)
        return errorReply(
          id,
          'failed',
          `${method}: the engine produced an invalid result: ${z.prettifyError(valid.error)}`,
        );
      if (payload === undefined)
        return { text: JSON.stringify({ kind: 'response', id, ok: true, result: valid.data }) };
      return {
        text: JSON.stringify({
          kind: 'response',
          id,
          ok: true,
          result: valid.data,
          binaryLength: payload.byteLength,
        }),
        binary: encodeBinaryFrame(id, payload),
      };
    } catch (error) {
      if (error instanceof ProtocolError) return errorReply(id, error.code, error.message);
      return errorReply(id, 'failed', error instanceof Error ? error.message : String(error));
    }
  };
}

export function errorReply(id: number | null, code: ProtocolError['code'], message: string): Reply {
  return { text: JSON.stringify({ kind: 'response', id, ok: false, error: { code, message } }) };
}
