import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../engine/cli/command.js';
import { parseInputSize } from '../../../engine/cli/args.js';
import { infoCommand } from '../../../engine/cli/commands/info.js';
import { humanCount } from '../../../engine/cli/format.js';
import { UsageError } from '../../../engine/cli/command.js';

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIO = { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`), interactive: false };
  const code = await infoCommand.run(args, io);
  return { code, out };
}

describe('ranp info', () => {
  it('prints a per-layer table and totals for every zoo net', async () => {
    for (const [net, rows] of [
      ['unet3d-shapenet', 15],
      ['unet3d-brats', 15],
      ['mobilenetv2-3d', 53],
      ['i3d', 58],
    ] as const) {
      const { code, out } = await run([
        '--net',
        net,
        '--input',
        net === 'i3d' ? '16x112x112' : '32',
        '--prunable',
      ]);
      expect(code).toBe(0);
      expect(out).toMatch(new RegExp(`^${net} at input`));
      expect(out.match(/conv3d\*|linear\*/g)).toHaveLength(rows);
      expect(out).toMatch(new RegExp(`${rows} prunable layers`));
    }
  });

  it('--json gives exact numbers; --width/--classes/--in-channels reach the net', async () => {
    const { out } = await run(['--net', 'unet3d-shapenet', '--input', '64', '--json']);
    const report = JSON.parse(out);
    expect(report.totals.params).toBe(16_321_106);
    expect(report.layers.find((l: { name: string }) => l.name === 'enc0.1.conv')).toMatchObject({
      inChannels: 1,
      outChannels: 32,
      flops: 32 * 64 ** 3 * 27,
      params: 864,
    });
    const narrow = JSON.parse(
      (
        await run([
          '--net',
          'unet3d-brats',
          '--input',
          '16',
          '--width',
          '0.5',
          '--classes',
          '3',
          '--in-channels',
          '2',
          '--json',
        ])
      ).out,
    );
    expect(narrow.layers.find((l: { name: string }) => l.name === 'enc0.1.conv')).toMatchObject({
      inChannels: 2,
      outChannels: 8,
    });
    expect(narrow.layers.find((l: { name: string }) => l.name === 'final').outChannels).toBe(3);
  });

  it('rejects bad options as usage errors', async () => {
    await expect(run([])).rejects.toThrow(UsageError);
    await expect(run(['--net', 'vgg'])).rejects.toThrow(/unknown net 'vgg'/);
    await expect(run(['--net', 'i3d', '--width', '0'])).rejects.toThrow(/--width must be a positive number/);
    expect(() => parseInputSize('4x4')).toThrow(/N or DxHxW/);
    expect(parseInputSize('16x112x112')).toEqual([16, 112, 112]);
    expect(humanCount(237_846_397_077)).toBe('238G');
    expect(humanCount(864)).toBe('864');
  });
});
