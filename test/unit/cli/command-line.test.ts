import { describe, expect, it } from 'vitest';
import { commands } from '../../../engine/cli/commands/index.js';
import { ranp } from './run-ranp.js';

/** The first words each command needs before its options (a subcommand or action). */
const LEAD: Record<string, string[]> = { data: ['check', '.'], runs: ['list'] };

describe('ranp: one argument syntax in every command', () => {
  it.each(commands.map((c) => c.name))('%s: an unknown option exits 2 with the usage text', async (name) => {
    const command = commands.find((c) => c.name === name)!;
    const { code, err } = await ranp(name, ...(LEAD[name] ?? []), '--no-such-option');
    expect(code).toBe(2);
    expect(err).toContain(`ranp ${name}: Unknown option '--no-such-option'`);
    expect(err).toContain(command.usage);
  });

  it.each([
    ['info', '--net', 'unet3d-brats'],
    ['prune', '--net', 'unet3d-brats', '--method', 'random', '--sparsity', '0.3'],
    ['experiment', '--task', 'brats', '--data', '/nonexistent'],
  ])('%s: a malformed --input exits 2 naming the syntax N or DxHxW', async (...argv) => {
    const { code, err } = await ranp(...argv, '--input', '16x16');
    expect(code).toBe(2);
    expect(err).toContain("--input must be N or DxHxW with positive integers, got '16x16'");
  });

  it('info and prune read --input N, NxNxN and N×N×N as the same size', async () => {
    for (const argv of [
      ['info', '--net', 'unet3d-brats', '--width', '0.125', '--json'],
      [
        'prune',
        '--net',
        'unet3d-brats',
        '--width',
        '0.125',
        '--method',
        'random',
        '--sparsity',
        '0.1',
        '--json',
        '--no-store', // a stored run's id would differ between the three outputs
      ],
    ]) {
      const outputs = [];
      for (const input of ['16', '16x16x16', '16×16×16']) {
        const { code, out, err } = await ranp(...argv, '--input', input);
        expect(code, `${argv[0]} --input ${input}: ${err}`).toBe(0);
        outputs.push(out);
      }
      expect(outputs[1]).toBe(outputs[0]);
      expect(outputs[2]).toBe(outputs[0]);
      expect(outputs[0]).toMatch(/"inputSize": \[\s*16,\s*16,\s*16\s*\]/);
    }
  });

  it('experiment takes --input D×H×W (the run then fails on the missing data, exit 1, no usage text)', async () => {
    const { code, err } = await ranp(
      'experiment',
      '--task',
      'brats',
      '--data',
      '/nonexistent/brats',
      '--input',
      '8×16×16',
      '--no-store',
    );
    expect(code).toBe(1);
    expect(err).toContain('/nonexistent/brats');
    expect(err).not.toContain('Usage:');
  });

  it('a malformed number is a usage error in every command that reads numbers', async () => {
    const cases = [
      ['info', '--net', 'i3d', '--classes', '2.5'],
      ['prune', '--net', 'i3d', '--synthetic', '--sparsity', '0.3', '--seed=-1'],
      ['experiment', '--task', 'brats', '--data', 'x', '--epochs', 'two'],
      ['runs', 'list', '--limit', '0'],
      ['eval', '--run', '1', '--samples', 'all'],
    ];
    for (const argv of cases) {
      const { code, err } = await ranp(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err, argv.join(' ')).toMatch(/must be a (positive|non-negative) integer, got/);
    }
  });
});
