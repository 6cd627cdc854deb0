/**
 * The abort reason for "stop now, but keep the runs resumable" (the UI closed and the user's setting
 * says interrupt): the experiment marks its runs 'interrupted' instead of 'cancelled', so the resume
 * path continues them from their last checkpoint.
 */
export class InterruptRequest extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'InterruptRequest';
  }
}

/** How a run stopped by `signal` ends: interrupted (resumable) or cancelled by the user. */
export function stoppedStatus(signal: AbortSignal | undefined): 'interrupted' | 'cancelled' {
  return signal?.reason instanceof InterruptRequest ? 'interrupted' : 'cancelled';
}
