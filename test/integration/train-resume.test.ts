import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const child = join(import.meta.dirname, 'train-resume-child.ts');
const dir = mkdtempSync(join(tmpdir(), 'ranp-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the training child; when `killAtStep` is set, SIGKILLs it as soon as it reports that step. */
function runChild(
  checkpointDir: string,
  resultFile: string,
  resume: boolean,
  killAtStep?: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; lastStep: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', child, checkpointDir, resultFile, resume ? '1' : '0'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let lastStep = 0;
    let buffered = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^step (\d+)\/20$/.exec(line);
        if (!m) continue;
        lastStep = Number(m[1]);
        if (killAtStep !== undefined && lastStep >= killAtStep) proc.kill('SIGKILL');
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => resolve({ code, signal, lastStep }));
  });
}

describe('training survives SIGKILL', () => {
  it('a run killed mid-epoch and resumed ends bit-identical to an uninterrupted run', async () => {
    const whole = await runChild(join(dir, 'whole'), join(dir, 'whole.json'), false);
    expect(whole.code).toBe(0);

    const killed = await runChild(join(dir, 'killed'), join(dir, 'killed.json'), false, 7);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.lastStep).toBeLessThan(20);
    expect(existsSync(join(dir, 'killed.json'))).toBe(false);
    expect(existsSync(join(dir, 'killed', 'last.ckpt'))).toBe(true);

    const resumed = await runChild(join(dir, 'killed'), join(dir, 'killed.json'), true);
    expect(resumed.code).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'whole.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'killed.json'), 'utf8'));
    expect(b.history).toHaveLength(5);
    expect(b.history).toEqual(a.history);
    expect(b.weights).toEqual(a.weights);
  });
});
