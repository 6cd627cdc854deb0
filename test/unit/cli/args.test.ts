import { describe, expect, it } from 'vitest';
import {
  optionalNumber,
  parseChoice,
  parseCommandArgs,
  parseInputSize,
  parseNetName,
  parseNumber,
  parseRunId,
} from '../../../engine/cli/args.js';
import { UsageError } from '../../../engine/cli/command.js';

describe('the CLI argument module', () => {
  it('reads an input size as N or D×H×W, with x, × or commas', () => {
    expect(parseInputSize('16')).toEqual([16, 16, 16]);
    expect(parseInputSize('16x112x112')).toEqual([16, 112, 112]);
    expect(parseInputSize('16×112×112')).toEqual([16, 112, 112]);
    expect(parseInputSize('8,16,32')).toEqual([8, 16, 32]);
    for (const bad of ['4x4', '0', '16x16x', '1.5', '', 'x', '16x16x16x16', '-4'])
      expect(() => parseInputSize(bad), bad).toThrow(
        new UsageError(`--input must be N or DxHxW with positive integers, got '${bad}'`),
      );
  });

  it('parses numbers by kind, naming the option, the kind and the text', () => {
    expect(parseNumber('lr', '0.02', 'a positive number')).toBe(0.02);
    expect(parseNumber('seed', '0', 'a non-negative integer')).toBe(0);
    expect(parseNumber('sparsity', '1', 'a number in [0, 1]')).toBe(1);
    expect(parseNumber('x', '-3.5')).toBe(-3.5);
    expect(optionalNumber('samples', undefined, 'a positive integer')).toBeUndefined();
    const cases: [string, string, Parameters<typeof parseNumber>[2]][] = [
      ['width', '0', 'a positive number'],
      ['samples', '2.5', 'a positive integer'],
      ['seed', '-1', 'a non-negative integer'],
      ['lambda', '-0.1', 'a non-negative number'],
      ['sparsity', '1.01', 'a number in [0, 1]'],
      ['lr', 'fast', 'a number'],
      ['lr', '', 'a number'],
      ['epochs', 'Infinity', 'a positive integer'],
    ];
    for (const [flag, text, kind] of cases)
      expect(() => parseNumber(flag, text, kind), `${flag}=${text}`).toThrow(
        new UsageError(`--${flag} must be ${kind}, got '${text}'`),
      );
  });

  it('turns parseArgs errors, run ids, choices and net names into usage errors', () => {
    expect(parseCommandArgs(['--json'], { json: { type: 'boolean' } }).values.json).toBe(true);
    expect(() => parseCommandArgs(['--jsn'], { json: { type: 'boolean' } })).toThrow(UsageError);
    expect(() => parseCommandArgs(['12'], { json: { type: 'boolean' } })).toThrow(UsageError);
    expect(parseCommandArgs(['12'], {}, { positionals: true }).positionals).toEqual(['12']);
    expect(parseRunId('12')).toBe(12);
    expect(() => parseRunId('1.5')).toThrow(
      new UsageError("expected a run id (positive integer), got '1.5'"),
    );
    expect(() => parseRunId(undefined)).toThrow(UsageError);
    expect(parseChoice('split', 'test', ['val', 'test'])).toBe('test');
    expect(parseChoice('split', undefined, ['val', 'test'])).toBeUndefined();
    expect(() => parseChoice('split', 'train', ['val', 'test'])).toThrow(
      new UsageError("--split must be one of val, test, got 'train'"),
    );
    expect(parseNetName('i3d')).toBe('i3d');
    expect(() => parseNetName(undefined)).toThrow(new UsageError('--net is required'));
    expect(() => parseNetName('vgg')).toThrow(/^unknown net 'vgg' \(known: .*i3d/);
  });
});
