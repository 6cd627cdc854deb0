import { describe, expect, it } from 'vitest';
import { ranp } from './run-ranp.js';

describe('ranp experiment: λ, transfer and scale-up on the command line', () => {
  it('half a transfer is refused with the flag that is missing', async () => {
    const { code, err } = await ranp(
      'experiment',
      '--task',
      'brats',
      '--data',
      'assets/samples/brats',
      '--transfer-task',
      'shapenet',
    );
    expect(code).toBe(2);
    expect(err).toContain('transfer needs both --transfer-task and --transfer-data');
    const bad = await ranp('experiment', '--task', 'brats', '--data', 'x', '--lambda', 'much');
    expect([bad.code, bad.err.includes("--lambda must be a non-negative number, got 'much'")]).toEqual([
      2,
      true,
    ]);
  });

  it(
    '--lambda, --widen and --transfer-* reach the experiment: pruned on ShapeNet, trained on BraTS (4 channels in, its classes out)',
    { timeout: 240_000 },
    async () => {
      const { code, out, err } = await ranp(
        'experiment',
        '--task',
        'brats',
        '--data',
        'assets/samples/brats',
        '--transfer-task',
        'shapenet',
        '--transfer-data',
        'assets/samples/shapenet',
        '--lambda',
        '3',
        '--widen',
        '1.5',
        '--input',
        '16',
        '--width',
        '0.125',
        '--epochs',
        '1',
        '--samples-per-epoch',
        '1',
        '--scoring-samples',
        '1',
        '--sparsity',
        '0.3',
        '--no-store',
        '--json',
      );
      expect(code, err).toBe(0);
      const result = JSON.parse(out) as {
        config: { prune: Record<string, unknown> };
        pruned: { resources: { params: number } };
        outcome: string;
      };
      expect(result.outcome).toBe('completed');
      expect(result.config.prune).toMatchObject({
        lambda: 3,
        widen: 1.5,
        from: { task: 'shapenet', data: 'assets/samples/shapenet' },
      });
      // The ShapeNet net was scored and pruned, then re-targeted to BraTS's 4 channels and widened.
      expect(err).toMatch(/pruned unet3d-shapenet with ranp-f at sparsity 0.3/);
    },
  );
});
