import { METHOD_NAMES, type MethodName } from '../../protocol/methods.js';

/** Requests whose engine part has not landed yet; their handlers answer 'not-available'. */
const PENDING: ReadonlySet<MethodName> = new Set<MethodName>([]);

export function availability(): Record<string, boolean> {
  return Object.fromEntries(METHOD_NAMES.map((m) => [m, !PENDING.has(m)]));
}
