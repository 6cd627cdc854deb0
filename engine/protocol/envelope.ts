import { z } from 'zod';
import { ProtocolErrorSchema, type ProtocolError } from './errors.js';

/**
 * Framing of every message. Text frames carry JSON envelopes; a request whose result has voxels
 * (volume.get) is answered by a JSON response with `binaryLength`, then one binary frame whose
 * first 4 bytes are the request id (uint32, little-endian) followed by the payload.
 */

/** Largest request the engine accepts (bytes of JSON); larger ones are rejected unread. */
export const MAX_REQUEST_BYTES = 256 * 1024;
/** Header bytes in front of a binary payload. */
export const BINARY_PREFIX_BYTES = 4;

export const RequestEnvelopeSchema = z
  .object({
    kind: z.literal('request'),
    id: z.number().int().nonnegative().max(0xffffffff),
    method: z.string().min(1).max(100),
    params: z.unknown(),
  })
  .strict();

export const ResponseEnvelopeSchema = z.union([
  z.object({
    kind: z.literal('response'),
    id: z.number().int().nonnegative(),
    ok: z.literal(true),
    result: z.unknown(),
    binaryLength: z.number().int().nonnegative().optional(),
  }),
  z.object({
    kind: z.literal('response'),
    /** null when the request was too broken to have an id. */
    id: z.number().int().nonnegative().nullable(),
    ok: z.literal(false),
    error: ProtocolErrorSchema,
  }),
]);

export const EventEnvelopeSchema = z.object({
  kind: z.literal('event'),
  event: z.string(),
  data: z.unknown(),
});

export const ServerMessageSchema = z.union([ResponseEnvelopeSchema, EventEnvelopeSchema]);

export type RequestEnvelope = z.infer<typeof RequestEnvelopeSchema>;
export type ResponseEnvelope = z.infer<typeof ResponseEnvelopeSchema>;
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

export type ParsedRequest =
  | { ok: true; request: RequestEnvelope }
  | { ok: false; id: number | null; error: Pick<ProtocolError, 'code' | 'message'> };

/** Parses one incoming text frame; never throws (malformed input becomes an error to answer). */
export function parseRequest(text: string): ParsedRequest {
  if (text.length > MAX_REQUEST_BYTES) {
    return {
      ok: false,
      id: null,
      error: {
        code: 'invalid-message',
        message: `message of ${text.length} bytes exceeds the limit of ${MAX_REQUEST_BYTES}`,
      },
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: { code: 'invalid-message', message: 'message is not valid JSON' } };
  }
  const parsed = RequestEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    const id =
      typeof json === 'object' &&
      json !== null &&
      'id' in json &&
      Number.isSafeInteger(json.id) &&
      (json.id as number) >= 0
        ? (json.id as number)
        : null;
    return {
      ok: false,
      id,
      error: { code: 'invalid-message', message: `not a request envelope: ${z.prettifyError(parsed.error)}` },
    };
  }
  return { ok: true, request: parsed.data };
}

export function encodeBinaryFrame(id: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(BINARY_PREFIX_BYTES + payload.byteLength);
  new DataView(frame.buffer).setUint32(0, id, true);
  frame.set(payload, BINARY_PREFIX_BYTES);
  return frame;
}

/** The id and the payload, a view into `frame` (no copy: 4-byte alignment suits every voxel type). */
export function decodeBinaryFrame(frame: ArrayBuffer): { id: number; payload: Uint8Array } {
  if (frame.byteLength < BINARY_PREFIX_BYTES)
    throw new Error(`binary frame of ${frame.byteLength} bytes has no request id`);
  return { id: new DataView(frame).getUint32(0, true), payload: new Uint8Array(frame, BINARY_PREFIX_BYTES) };
}
