import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killLoop, type KillStage } from './kill-loop.js';

// The short kill loop of `npm test` (kill-loop.ts; `npm run killtest -- --kills 100` is the long
// one): every stage at least once, in an order that moves the experiment on ('pruned training'
// waits for the second net, so the last kills hit its run, and the completed unpruned run is reused).

const dir = mkdtempSync(join(tmpdir(), 'ranp-kill-loop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STAGES: KillStage[] = [
  'scoring',
  'training',
  'checkpoint',
  'write',
  'training',
  'write',
  'pruned training',
  'checkpoint',
  'write',
];

describe('experiment under repeated SIGKILL', () => {
  it('keeps the store intact, loses no epoch, and resumes to the uninterrupted result', async () => {
    const figures = await killLoop({
      dir,
      kills: STAGES.length,
      seed: 2026,
      stageOf: (n) => STAGES[n % STAGES.length],
      killsPerRound: STAGES.length,
    });
    console.log(
      `kill loop: ${figures.kills} SIGKILLs in ${figures.rounds} round(s); killed after: ${figures.killedAfter.join(' | ')}`,
    );
    expect(figures.crashes).toEqual([]);
    // A stage whose marker no longer comes (the run already past it) ends the round early.
    expect(figures.kills).toBeGreaterThanOrEqual(6);
    expect(figures.killsByStage.checkpoint).toBeGreaterThanOrEqual(1);
    expect(figures.corruptions).toEqual([]);
    expect(figures.epochsLost).toBe(0);
    expect(figures.rounds).toBeGreaterThanOrEqual(1);
    expect(figures.resumeMismatches).toEqual([]);
  }, 900_000);
});
