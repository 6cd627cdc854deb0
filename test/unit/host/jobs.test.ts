import { describe, expect, it } from 'vitest';
import { InterruptRequest } from '../../../engine/experiment/interrupt.js';
import { JobManager, type JobControl } from '../../../engine/host/jobs.js';
import { remainingWork, type JobInfo } from '../../../engine/protocol/jobs.js';

/** Work that runs until the test releases it (or its signal aborts), recording what it saw. */
function controllable() {
  let release!: (outcome?: Error) => void;
  const seen: { signal?: AbortSignal } = {};
  const work = (control: JobControl) =>
    new Promise<void>((resolve, reject) => {
      seen.signal = control.signal;
      release = (outcome) => (outcome ? reject(outcome) : resolve());
      control.signal.addEventListener('abort', () => resolve());
    });
  return { work, release: (outcome?: Error) => release(outcome), seen };
}

function newManager() {
  const changes: JobInfo[] = [];
  const ended: JobInfo[] = [];
  const jobs = new JobManager({ progress: () => {}, changed: (j) => changes.push(j), log: () => {} });
  const endedHook = { ended: (j: JobInfo) => void ended.push(j) };
  return { jobs, changes, ended, endedHook };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('JobManager queue', { timeout: 10_000 }, () => {
  it('runs jobs one at a time in submission order; a failure or a cancel moves the queue on', async () => {
    const { jobs, ended, endedHook } = newManager();
    const [a, b, c, d] = [controllable(), controllable(), controllable(), controllable()];
    const ja = jobs.start('a', a.work, endedHook);
    const jb = jobs.start('b', b.work, { runIds: ['7'], ...endedHook });
    const jc = jobs.start('c', c.work, endedHook);
    const jd = jobs.start('d', d.work, endedHook);
    expect([ja.state, jb.state, jb.queuePosition, jc.queuePosition, jd.queuePosition]).toEqual([
      'running',
      'queued',
      1,
      2,
      3,
    ]);
    expect(jb.runIds).toEqual(['7']);
    expect(jobs.cancel(jc.id)).toBe(true);
    expect(jobs.list().find((j) => j.id === jd.id)?.queuePosition).toBe(2);
    expect(c.seen.signal).toBeUndefined();

    await tick();
    a.release(new Error('out of memory'));
    await tick();
    await tick();
    expect(jobs.running?.id).toBe(jb.id);
    expect(jobs.list().find((j) => j.id === jd.id)?.queuePosition).toBe(1);
    b.release();
    await tick();
    await tick();
    expect(jobs.running?.id).toBe(jd.id);
    d.release();
    await jobs.idle();
    expect(ended.map((j) => `${j.title} ${j.state}`)).toEqual([
      'c cancelled',
      'a failed',
      'b completed',
      'd completed',
    ]);
    expect(ended[1].error).toBe('out of memory');
    expect(ended[0].startedAt).toBeUndefined();
    expect(c.seen.signal).toBeUndefined();
  });

  it('announces each run the job starts, also one it owned since submit, and clears it when the job ends', async () => {
    const { jobs, changes } = newManager();
    let control!: JobControl;
    let finish!: () => void;
    const job = jobs.start(
      'two runs',
      (c) =>
        new Promise<void>((resolve) => {
          control = c;
          finish = resolve;
        }),
      { runIds: ['3', '4'] },
    );
    await tick();
    const before = changes.length;
    control.startRun('3');
    control.startRun('3'); // the same run again: nothing new to say
    control.startRun('4');
    expect(changes.slice(before).map((j) => [j.activeRunId, j.runIds.join()])).toEqual([
      ['3', '3,4'],
      ['4', '3,4'],
    ]);
    finish();
    await jobs.idle();
    const last = changes.filter((j) => j.id === job.id).pop();
    expect(last?.state).toBe('completed');
    expect(last?.activeRunId).toBeUndefined();
  });

  it('interruptAll stops the running job with an InterruptRequest and ends the queued ones interrupted', async () => {
    const { jobs, ended, endedHook } = newManager();
    const [a, b] = [controllable(), controllable()];
    jobs.start('a', a.work, endedHook);
    jobs.start('b', b.work, endedHook);
    await tick();
    jobs.interruptAll('window closed');
    await jobs.idle();
    expect(a.seen.signal?.reason).toBeInstanceOf(InterruptRequest);
    expect(b.seen.signal).toBeUndefined();
    expect(ended.map((j) => `${j.title} ${j.state}`)).toEqual(['b interrupted', 'a interrupted']);
    expect(jobs.active).toEqual([]);
  });

  it('a failing end hook is reported on its job and does not stop the queue', async () => {
    const { jobs, changes } = newManager();
    const [a, b] = [controllable(), controllable()];
    const ja = jobs.start('a', a.work, {
      ended: () => {
        throw new Error('database is closed');
      },
    });
    jobs.start('b', b.work);
    await tick();
    a.release();
    await tick();
    await tick();
    expect(changes.filter((j) => j.id === ja.id).at(-1)).toMatchObject({
      state: 'completed',
      error: 'database is closed',
    });
    expect(jobs.running?.title).toBe('b');
    b.release();
    await jobs.idle();
  });
});

describe('JobManager time left', { timeout: 10_000 }, () => {
  /** A training progress event as runExperiment reports it: this net's steps and the whole job's. */
  const training = (
    done: number,
    total: number,
    overall: { done: number; total: number; secondsPerStep?: number },
  ) => ({
    phase: 'unpruned: epoch 1/2',
    done,
    total,
    elapsedSeconds: done * (overall.secondsPerStep ?? 0),
    overall,
  });

  it('covers every net still to train and the queued jobs of the same plan, at the speed measured last', async () => {
    const changes: JobInfo[] = [];
    const jobs = new JobManager({ progress: () => {}, changed: (j) => changes.push(j), log: () => {} });
    // What clients get (progress events are at most 5 a second; the job's info always has the latest).
    const etaOf = (id: string) => jobs.list().find((j) => j.id === id)?.etaSeconds;
    let control!: JobControl;
    const a = controllable();
    const ja = jobs.start(
      'a',
      (c) => {
        control = c;
        return a.work(c);
      },
      { planKey: 'tiny', study: { id: 's1', title: 'sweep', index: 0, size: 2 } },
    );
    const b = jobs.start('b', controllable().work, {
      planKey: 'tiny',
      study: { id: 's1', title: 'sweep', index: 1, size: 2 },
    });
    const c = jobs.start('c', controllable().work, { planKey: 'other' });
    await tick();
    // Nothing measured yet: no estimate anywhere.
    expect(remainingWork(jobs.list())).toEqual({ seconds: 0, jobs: 3, unestimated: 3 });
    expect(ja.study).toEqual({ id: 's1', title: 'sweep', index: 0, size: 2 });

    // Scoring (no overall yet) gives no time left: its rate is not a training rate.
    control.onProgress({ phase: 'scoring', done: 1, total: 2, elapsedSeconds: 5 });
    expect(etaOf(ja.id)).toBeUndefined();

    // 10 of the unpruned net's 20 steps at 0.5 s, the pruned net's 20 still to come: 30 steps left.
    control.onProgress(training(10, 20, { done: 10, total: 40, secondsPerStep: 0.5 }));
    expect(etaOf(ja.id)).toBe(15);
    const listed = Object.fromEntries(jobs.list().map((j) => [j.title, j.etaSeconds]));
    // b has a's plan: 40 steps × 0.5 s; c's plan is not known yet.
    expect(listed).toEqual({ a: 15, b: 20, c: undefined });
    expect(remainingWork(jobs.list())).toEqual({ seconds: 35, jobs: 3, unestimated: 1 });

    // Validation (0 of 1) keeps the job's place and speed: 20 steps × 0.5 s. Past the 200 ms
    // between progress events, b's new estimate is announced to clients too.
    await new Promise((r) => setTimeout(r, 250));
    control.onProgress({
      ...training(0, 1, { done: 20, total: 40, secondsPerStep: 0.5 }),
      phase: 'validating',
    });
    expect(etaOf(ja.id)).toBe(10);
    expect(changes.filter((j) => j.id === b.id).at(-1)?.etaSeconds).toBe(20);

    // The pruned net is faster: the measurement follows it, for a's rest and b's whole plan.
    control.onProgress(training(10, 20, { done: 30, total: 40, secondsPerStep: 0.25 }));
    expect(etaOf(ja.id)).toBe(2.5);
    expect(jobs.list().find((j) => j.id === b.id)?.etaSeconds).toBe(10);

    jobs.cancel(c.id);
    a.release();
    await tick();
    await tick();
    const ended = jobs.list().find((j) => j.id === ja.id)!;
    expect([ended.state, ended.etaSeconds]).toEqual(['completed', undefined]);
    // b runs now, estimated from its plan until it reports its own progress.
    expect(jobs.running?.id).toBe(b.id);
    expect(remainingWork(jobs.list())).toEqual({ seconds: 10, jobs: 1, unestimated: 0 });
    jobs.cancel(b.id);
    await jobs.idle();
  });
});
