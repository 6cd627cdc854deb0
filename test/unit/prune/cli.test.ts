import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../engine/cli/command.js';
import { pruneCommand } from '../../../engine/cli/commands/prune.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { loadScores, parseBudget, type PruneReport } from '../../../engine/prune/index.js';
import { readWeightsFile } from '../../../engine/nn/weights.js';

const dir = mkdtempSync(join(tmpdir(), 'ranp-prune-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIO = { out: (t) => (out += `${t}\n`), err: () => {}, interactive: false };
  const code = await pruneCommand.run(args, io);
  return { code, out };
}

const net = ['--net', 'unet3d-brats', '--width', '0.125'];

describe('parseBudget', () => {
  it('reads fractions, percentages and amounts with units', () => {
    expect(parseBudget('flops=0.1')).toEqual({ resource: 'flops', value: 0.1, relative: true });
    expect(parseBudget('params=25%')).toEqual({ resource: 'params', value: 0.25, relative: true });
    expect(parseBudget('flops=2.5G')).toEqual({ resource: 'flops', value: 2.5e9, relative: false });
    expect(parseBudget('memory=2GB')).toEqual({ resource: 'memory', value: 2 * 2 ** 30, relative: false });
    expect(() => parseBudget('memory=2G')).toThrow(/bytes/);
    expect(() => parseBudget('flops=2GB')).toThrow(/does not apply to flops/);
    expect(() => parseBudget('speed=2')).toThrow(/expected flops=/);
  });
});

describe('ranp prune', () => {
  const out = join(dir, 'first');

  it('scores a synthetic batch, prunes, prints the table and writes every artifact', async () => {
    const { code, out: text } = await run([
      ...net,
      '--synthetic',
      '--samples',
      '1',
      '--input',
      '16',
      '--sparsity',
      '0.3',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(text).toMatch(/unet3d-brats \(brats\) — ranp-f/);
    expect(text).toMatch(/scores: synthetic, 1 sample\(s\) at 16x16x16/);
    expect(text).toMatch(/sparsity requested 0\.3000, realized/);
    expect(text).toMatch(/enc0\.1\.conv\s+conv3d/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as PruneReport;
    expect(report.layers).toHaveLength(15);
    expect(report.resources.inputSize).toEqual([16, 16, 16]);
    const pruned = JSON.parse(readFileSync(join(out, 'pruned-net.json'), 'utf8'));
    expect(pruned.meta).toMatchObject({
      prunedFrom: 'unet3d-brats',
      pruneMethod: 'ranp-f',
      requestedSparsity: 0.3,
    });
    const scores = loadScores(join(out, 'scores.ranpscores'));
    expect(scores.samples).toBe(1);
    expect(scores.source).toBe('synthetic');
    const { weights } = await readWeightsFile(join(out, 'pruned-weights.ranpw'));
    const enc0 = report.layers[0];
    expect(weights.get('enc0.1.conv.weight')!.shape).toEqual([3, 3, 3, 4, enc0.kept]);
  });

  it('prunes again from the saved score file without data: --budget and --max-sparsity', async () => {
    const scores = join(out, 'scores.ranpscores');
    const budget = await run([
      ...net,
      '--scores',
      scores,
      '--input',
      '16',
      '--budget',
      'flops=0.5',
      '--json',
    ]);
    const report = JSON.parse(budget.out) as PruneReport;
    expect(report.resources.ratio.flops).toBeLessThanOrEqual(0.5);
    expect(report.resources.ratio.flops).toBeGreaterThan(0.4);
    expect(report.budget!.sparsity).toBeGreaterThan(0);
    const max = await run([...net, '--scores', scores, '--input', '16', '--max-sparsity', '--json']);
    const atMax = JSON.parse(max.out) as PruneReport & { maxSparsity: number };
    expect(atMax.requestedSparsity).toBe(atMax.maxSparsity);
    await expect(
      run([...net, '--scores', scores, '--input', '16', '--sparsity', String(atMax.maxSparsity + 2e-4)]),
    ).rejects.toThrow(/removes every neuron of layer/);
    // Below what the largest sparsity reaches: the error says what is achievable.
    await expect(
      run([...net, '--scores', scores, '--input', '16', '--budget', 'flops=0.01']),
    ).rejects.toThrow(
      /cannot be met by ranp-f: at its largest sparsity 0\.\d+ the pruned net still needs .* \(\d+\.\d+% of the full net\)/,
    );
  });

  it('rejects a score file of another width, and missing or conflicting options', async () => {
    const scores = join(out, 'scores.ranpscores');
    await expect(run(['--net', 'unet3d-brats', '--scores', scores, '--sparsity', '0.5'])).rejects.toThrow(
      /scores have shape/,
    );
    await expect(run([...net, '--sparsity', '0.5'])).rejects.toThrow(/needs scores/);
    await expect(run([...net, '--synthetic', '--sparsity', '0.5', '--budget', 'flops=0.1'])).rejects.toThrow(
      /exactly one/,
    );
    await expect(run([...net, '--synthetic', '--sparsity', '1.5'])).rejects.toThrow(/\[0, 1\]/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('random pruning needs no scores', async () => {
    const { out: text } = await run([
      ...net,
      '--method',
      'random',
      '--sparsity',
      '0.2',
      '--input',
      '16',
      '--json',
    ]);
    const report = JSON.parse(text) as PruneReport;
    expect(report.method).toBe('random');
    expect(report.scoresSource).toBeNull();
    expect(report.layers.find((l) => l.name === buildNet('unet3d-brats').classifier)!.kept).toBe(5);
  });
});
