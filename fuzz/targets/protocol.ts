import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EngineHost } from '../../engine/host/host.js';
import { parseRequest, ResponseEnvelopeSchema } from '../../engine/protocol/envelope.js';
import { methods, type MethodName } from '../../engine/protocol/methods.js';
import { mutateBytes, mutateJson } from '../mutate.js';
import { isErrorOf, type FuzzTarget } from '../target.js';

/** Requests that start or change long work: validated by the real dispatcher, never dispatched here. */
const WORK_METHODS = ['experiment.start', 'prune.preview'];

/** Messages a valid client sends; mutations start from these. */
const VALID_REQUESTS: unknown[] = [
  { kind: 'request', id: 1, method: 'engine.status', params: {} },
  { kind: 'request', id: 2, method: 'datasets.samples', params: {} },
  {
    kind: 'request',
    id: 3,
    method: 'datasets.check',
    params: { path: 'assets/samples/shapenet', task: 'shapenet' },
  },
  { kind: 'request', id: 4, method: 'nets.list', params: { task: 'brats' } },
  { kind: 'request', id: 5, method: 'nets.info', params: { name: 'unet3d-brats', inputSize: [16, 16, 16] } },
  { kind: 'request', id: 6, method: 'runs.list', params: {} },
  { kind: 'request', id: 7, method: 'runs.get', params: { id: '1' } },
  { kind: 'request', id: 8, method: 'runs.compare', params: { ids: ['1', '2'] } },
  { kind: 'request', id: 9, method: 'jobs.list', params: {} },
  { kind: 'request', id: 10, method: 'job.cancel', params: { jobId: 'job-1' } },
  {
    kind: 'request',
    id: 11,
    method: 'volume.get',
    params: { runId: '1', sample: 'subject', which: 'truth' },
  },
  // The scratch store has no runs, so a resume is answered with an error and never starts work.
  { kind: 'request', id: 12, method: 'experiment.resume', params: { runId: '1' } },
  { kind: 'request', id: 13, method: 'settings.get', params: {} },
  { kind: 'request', id: 14, method: 'settings.set', params: { whenUiCloses: 'interrupt' } },
];

/** Messages of JavaScript's own errors: a handler crashed instead of rejecting the input. */
const INTERNAL_ERROR =
  /TypeError|RangeError|Cannot read prop|is not a function|is not iterable|Maximum call stack/;

/** The engine answered with a clear error response: the expected outcome for bad input. */
class RequestRejected extends Error {}

let host: EngineHost | undefined;
function engineHost(): EngineHost {
  // One real host per worker, on a scratch data folder, serving the bundled samples.
  host ??= new EngineHost({
    mode: 'browser',
    dataDir: mkdtempSync(path.join(tmpdir(), 'ranp-fuzz-protocol-')),
    samplesDir: path.resolve('assets/samples'),
  });
  return host;
}

/**
 * Protocol messages into the real engine host: every frame must be answered with a well-formed
 * response (an error for bad input), never throw, and never be answered with an internal error
 * (a JavaScript TypeError and the like surfacing as 'failed').
 */
export const protocolTarget: FuzzTarget = {
  name: 'protocol',
  async corpus() {
    return VALID_REQUESTS.map((r) => new TextEncoder().encode(JSON.stringify(r)));
  },
  mutate(input, random, corpus) {
    try {
      if (random.next() < 0.7) {
        const json = JSON.parse(new TextDecoder().decode(input)) as Parameters<typeof mutateJson>[0];
        return new TextEncoder().encode(JSON.stringify(mutateJson(json, random)));
      }
    } catch {
      // not JSON any more: mutate bytes
    }
    return mutateBytes(input, random, corpus);
  },
  async run(input) {
    const text = new TextDecoder().decode(input);
    const parsed = parseRequest(text);
    if (parsed.ok && WORK_METHODS.includes(parsed.request.method)) {
      // Validation only: the same params check the dispatcher applies, without starting work.
      return methods[parsed.request.method as MethodName].params.safeParse(parsed.request.params ?? {});
    }
    const replies: string[] = [];
    const connection = engineHost().connect({
      sendText: (t) => replies.push(t),
      sendBinary: () => undefined,
    });
    try {
      await connection.receive(text);
    } finally {
      connection.dispose();
    }
    if (replies.length !== 1) throw new Error(`expected one response, got ${replies.length}`);
    const response = ResponseEnvelopeSchema.parse(JSON.parse(replies[0]));
    if (response.ok) return response;
    if (response.error.code === 'failed' && INTERNAL_ERROR.test(response.error.message)) {
      throw new Error(`internal error surfaced to the client: ${response.error.message}`);
    }
    throw new RequestRejected(`${response.error.code}: ${response.error.message}`);
  },
  // The host must answer every frame; only its error responses count as rejections.
  isSpecificError: isErrorOf(RequestRejected),
};
