// methods.list and tasks.list over a real WebSocket to a real in-process engine host: what the
// renderer is told is the domain table (engine/domain), and every entry of it has its implementation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PruneMethodSchema, TaskSchema, PRUNE_METHODS, TASKS } from '../../engine/protocol/index.js';
import { CRITERIA } from '../../engine/prune/criteria/registry.js';
import { TASK_MODULES } from '../../engine/tasks/registry.js';
import { connectClient, startTestEngine, type TestClient, type TestEngine } from './host-clients.js';

describe('methods.list and tasks.list (real host over WebSocket)', () => {
  let engine: TestEngine;
  let client: TestClient;
  beforeAll(async () => {
    engine = await startTestEngine();
    client = await connectClient(engine.server);
  });
  afterAll(async () => {
    await client.close();
    await engine.stop();
  });

  it('lists every pruning method with its label, λ use and score use; each has a criterion of that name', async () => {
    const { methods } = await client.client.request('methods.list', {});
    expect(methods.map((m) => m.name)).toEqual(PruneMethodSchema.options);
    for (const m of methods) {
      expect(m).toEqual({ name: m.name, ...PRUNE_METHODS[m.name] });
      expect(CRITERIA[m.name].name).toBe(m.name);
    }
    // The paper's facts, written out: λ reweights only RANP; random pruning reads no scores.
    expect(methods.filter((m) => m.usesLambda).map((m) => m.name)).toEqual(['ranp-f', 'ranp-m', 'ranp-p']);
    expect(methods.filter((m) => !m.needsScores).map((m) => m.name)).toEqual(['random']);
  });

  it("lists every task with the paper's λ and headline metric; each has a task module of that name", async () => {
    const { tasks } = await client.client.request('tasks.list', {});
    expect(tasks.map((t) => t.name)).toEqual(TaskSchema.options);
    for (const t of tasks) {
      expect(t).toEqual({ name: t.name, ...TASKS[t.name] });
      expect(TASK_MODULES[t.name].name).toBe(t.name);
      expect(TASK_MODULES[t.name].reader.task).toBe(t.name);
    }
    // Xu et al. 2020: λ = 11 (ShapeNet), 15 (BraTS), 80 (UCF101).
    expect(Object.fromEntries(tasks.map((t) => [t.name, t.defaultLambda]))).toEqual({
      shapenet: 11,
      brats: 15,
      ucf101: 80,
    });
  });
});
