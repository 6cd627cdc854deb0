import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo, RunDetail } from '../../engine/protocol/index.js';
import {
  connectClient,
  lastJobEvent,
  startTestEngine,
  tinyExperiment,
  waitFor,
  type TestClient,
  type TestEngine,
} from './host-clients.js';

/**
 * The engine host with real WebSocket clients and real (tiny) training runs: the job queue, what
 * happens to a run when the UI closes, and two clients on one engine (issue #11).
 */

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

function lossEpochs(run: RunDetail): [number, number][] {
  return run.curves.find((c) => c.metric === 'loss')?.points ?? [];
}

async function runOf(client: TestClient, job: JobInfo): Promise<RunDetail> {
  return client.client.request('runs.get', { id: job.runIds[0] });
}

/** Sends a raw text frame and resolves with the next text frame (the reply), parsed. */
function rawExchange(client: TestClient, frame: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: ArrayBuffer, isBinary: boolean) => {
      if (isBinary) return;
      const message = JSON.parse(Buffer.from(data).toString('utf8')) as Record<string, unknown>;
      if (message.kind !== 'response') return;
      client.socket.off('message', onMessage);
      resolve(message);
    };
    client.socket.on('message', onMessage);
    client.socket.send(frame);
  });
}

describe('job queue', () => {
  it('runs three submitted experiments one after another; the one cancelled while queued never starts', async () => {
    engine = await startTestEngine();
    const a = await connectClient(engine.server);
    const start = (name: string) => a.client.request('experiment.start', tinyExperiment({ name }));
    const first = (await start('q1')).job;
    const second = (await start('q2')).job;
    const third = (await start('q3')).job;
    expect(first.state).toBe('running');
    expect([second.state, second.queuePosition, third.state, third.queuePosition]).toEqual([
      'queued',
      1,
      'queued',
      2,
    ]);
    // Each submitted run is in the store at once, shown queued with its place.
    const listed = (await a.client.request('runs.list', {})).runs;
    const byName = (name: string) => listed.find((r) => r.name === `${name} pruned`);
    expect(byName('q2')).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect(byName('q3')).toMatchObject({ status: 'queued', queuePosition: 2 });

    expect(await a.client.request('job.cancel', { jobId: second.id })).toEqual({ cancelled: true });
    // The third moved up; the second's run is cancelled and can no longer be cancelled.
    await waitFor('q3 at place 1', () => (lastJobEvent(a, third.id)?.queuePosition === 1 ? true : undefined));
    expect(await a.client.request('job.cancel', { jobId: second.id })).toEqual({ cancelled: false });
    await waitFor('q3 finished at A', () =>
      lastJobEvent(a, third.id)?.state === 'completed' ? true : undefined,
    );

    const transitions = a.events
      .filter((e) => e.event === 'job')
      .map((e) => e.data as JobInfo)
      .filter((j) => j.state !== 'queued')
      .map((j) => `${j.title} ${j.state}`);
    expect([...new Set(transitions)]).toEqual([
      'q1 running',
      'q2 cancelled',
      'q1 completed',
      'q3 running',
      'q3 completed',
    ]);
    const jobs = (await a.client.request('jobs.list', {})).jobs;
    const q1 = jobs.find((j) => j.id === first.id)!;
    const q3 = jobs.find((j) => j.id === third.id)!;
    const q2 = jobs.find((j) => j.id === second.id)!;
    expect(q2.state).toBe('cancelled');
    expect(q2.startedAt).toBeUndefined();
    expect(Date.parse(q3.startedAt!)).toBeGreaterThanOrEqual(Date.parse(q1.finishedAt!));
    const statuses = Object.fromEntries(
      (await a.client.request('runs.list', {})).runs.map((r) => [r.name, [r.status, r.queuePosition]]),
    );
    expect(statuses).toEqual({
      'q1 pruned': ['completed', undefined],
      'q2 pruned': ['cancelled', undefined],
      'q3 pruned': ['completed', undefined],
    });
    // A queued or running job's runs cannot be deleted; an ended one's can.
    expect(await a.client.request('runs.delete', { id: second.runIds[0] })).toEqual({ deleted: true });
    await a.close();
  });
});

describe('when the UI closes mid-run', () => {
  const EPOCHS = 500;

  it("with 'interrupt': a reload within the grace period keeps the run; closing ends it interrupted, and resume continues it", async () => {
    // Training steps block the event loop for a second or more on a loaded machine: a generous grace.
    engine = await startTestEngine({ uiCloseGraceMs: 4000 });
    const a = await connectClient(engine.server);
    // The engine validates the setting itself, not only the client.
    expect(
      await rawExchange(
        a,
        JSON.stringify({
          kind: 'request',
          id: 99,
          method: 'settings.set',
          params: { whenUiCloses: 'pause' },
        }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    expect(await a.client.request('settings.get', {})).toEqual({ whenUiCloses: 'keep-running' });
    expect(await a.client.request('settings.set', { whenUiCloses: 'interrupt' })).toEqual({
      whenUiCloses: 'interrupt',
    });

    const { job } = await a.client.request(
      'experiment.start',
      tinyExperiment({ name: 'ui', epochs: EPOCHS }),
    );
    // Waiting behind it: an experiment with both nets, interrupted before it ever starts.
    const waiting = (
      await a.client.request('experiment.start', tinyExperiment({ name: 'waiting', trainUnpruned: true }))
    ).job;
    expect(waiting.runIds).toHaveLength(2);
    await waitFor('two recorded epochs', async () =>
      lossEpochs(await runOf(a, job)).length >= 2 ? true : undefined,
    );
    // A page reload: the socket closes and a new one opens well within the grace period.
    await a.close();
    const b = await connectClient(engine.server);
    await new Promise((r) => setTimeout(r, 4500));
    expect((await b.client.request('jobs.list', {})).jobs[0].state).toBe('running');

    await b.close();
    await engine.host.context.jobs.idle();
    const c = await connectClient(engine.server);
    expect((await c.client.request('jobs.list', {})).jobs[0]).toMatchObject({
      id: job.id,
      state: 'interrupted',
    });
    const interrupted = await runOf(c, job);
    expect(interrupted.status).toBe('interrupted');
    const kept = lossEpochs(interrupted);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(EPOCHS);
    expect(kept.map(([epoch]) => epoch)).toEqual(kept.map((_, i) => i + 1));
    expect((await c.client.request('jobs.list', {})).jobs[1]).toMatchObject({
      id: waiting.id,
      state: 'interrupted',
    });
    for (const id of waiting.runIds) {
      const never = await c.client.request('runs.get', { id });
      expect([never.status, lossEpochs(never)]).toEqual(['interrupted', []]);
    }

    // Resumed, it goes on after the kept epochs (then the test cancels it: EPOCHS is large so that
    // the interrupt above lands mid-run however fast the machine is).
    const resumed = (await c.client.request('experiment.resume', { runId: job.runIds[0] })).job;
    expect(resumed.runIds).toEqual(job.runIds);
    const continued = await waitFor('epochs after the kept ones', async () => {
      const run = await runOf(c, job);
      return lossEpochs(run).length >= kept.length + 2 ? run : undefined;
    });
    expect(continued.status).toBe('running');
    // Live status of a resumed run: the job's events name the interrupted run it trains again (the
    // app reads 'running' from this at once), and the run list no longer says 'interrupted'.
    expect(lastJobEvent(c, resumed.id)).toMatchObject({ state: 'running', activeRunId: job.runIds[0] });
    const listed = (await c.client.request('runs.list', {})).runs.find((r) => r.id === job.runIds[0]);
    expect(listed?.status).toBe('running');
    await c.client.request('job.cancel', { jobId: resumed.id });
    await waitFor('the resumed job cancelled', () =>
      lastJobEvent(c, resumed.id)?.state === 'cancelled' ? true : undefined,
    );
    const all = lossEpochs(await runOf(c, job));
    expect(all.map(([epoch]) => epoch)).toEqual(all.map((_, i) => i + 1));
    // The epochs finished before the interrupt keep their values.
    expect(all.slice(0, kept.length)).toEqual(kept);
    // The experiment that never started resumes from scratch into its own (interrupted) runs.
    const second = (await c.client.request('experiment.resume', { runId: waiting.runIds[1] })).job;
    expect(second.runIds).toEqual(waiting.runIds);
    await waitFor('the second resumed job finished', () =>
      lastJobEvent(c, second.id)?.state === 'completed' ? true : undefined,
    );
    for (const id of waiting.runIds) {
      const done = await c.client.request('runs.get', { id });
      expect([done.status, lossEpochs(done).map(([epoch]) => epoch)]).toEqual(['completed', [1]]);
    }
    // Only an interrupted experiment can be resumed.
    await expect(c.client.request('experiment.resume', { runId: waiting.runIds[0] })).rejects.toMatchObject({
      code: 'invalid-params',
    });
    await c.close();
  });

  it("with 'keep-running' (the default): the run goes on to completion with no client", async () => {
    engine = await startTestEngine({ uiCloseGraceMs: 100 });
    const a = await connectClient(engine.server);
    const { job } = await a.client.request('experiment.start', tinyExperiment({ name: 'kept', epochs: 6 }));
    await waitFor('a recorded epoch', async () =>
      lossEpochs(await runOf(a, job)).length >= 1 ? true : undefined,
    );
    await a.close();
    // Past the grace period with no client, the run still trains.
    await new Promise((r) => setTimeout(r, 400));
    expect(engine.host.context.jobs.running?.id).toBe(job.id);
    await engine.host.context.jobs.idle();
    const b = await connectClient(engine.server);
    const run = await runOf(b, job);
    expect(run.status).toBe('completed');
    expect(lossEpochs(run).map(([epoch]) => epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    await b.close();
  });
});

describe('two clients on one engine', () => {
  it('share the run list and the events; one cancels what the other started; a bad frame affects only its sender', async () => {
    engine = await startTestEngine();
    const a = await connectClient(engine.server);
    const b = await connectClient(engine.server);
    const { job } = await a.client.request(
      'experiment.start',
      tinyExperiment({ name: 'shared', epochs: 500 }),
    );
    await waitFor('progress at B', () =>
      b.events.some((e) => e.event === 'progress' && (e.data as { jobId: string }).jobId === job.id)
        ? true
        : undefined,
    );
    expect(lastJobEvent(b, job.id)?.state).toBe('running');
    const [listA, listB] = await Promise.all([
      a.client.request('runs.list', {}),
      b.client.request('runs.list', {}),
    ]);
    // The same rows (a running run's duration grows between the two answers).
    const rows = (list: typeof listA) => list.runs.map(({ durationSeconds: _, ...r }) => r);
    expect(rows(listB)).toEqual(rows(listA));
    expect(listA.runs.map((r) => r.id)).toEqual(job.runIds);

    // B sends garbage; B gets an error, A's connection and events go on.
    expect(await rawExchange(b, '{"kind":"request","id":')).toMatchObject({
      ok: false,
      error: { code: 'invalid-message' },
    });
    const progressBefore = a.events.filter((e) => e.event === 'progress').length;
    expect((await a.client.request('jobs.list', {})).jobs[0].id).toBe(job.id);
    await waitFor('more progress at A', () =>
      a.events.filter((e) => e.event === 'progress').length > progressBefore ? true : undefined,
    );

    expect(await b.client.request('job.cancel', { jobId: job.id })).toEqual({ cancelled: true });
    await engine.host.context.jobs.idle();
    await waitFor('A sees the cancel', () =>
      lastJobEvent(a, job.id)?.state === 'cancelled' ? true : undefined,
    );
    expect(lastJobEvent(b, job.id)?.state).toBe('cancelled');
    const [afterA, afterB] = await Promise.all([
      a.client.request('runs.list', {}),
      b.client.request('runs.list', {}),
    ]);
    expect(afterA).toEqual(afterB);
    expect(afterA.runs[0].status).toBe('cancelled');
    await a.close();
    await b.close();
  });
});
