import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Triple } from '../nn/description.js';
import { listNets } from '../nn/zoo/registry.js';
import { parseBudget } from '../prune/budget.js';
import type { ResourceBudget } from '../prune/types.js';
import { UsageError } from './command.js';

/**
 * The argument syntax every `ranp` command shares: one option parser, one number parser, one
 * input-size syntax. Every malformed argument is a UsageError, which main.ts prints with the
 * command's usage text and exit code 2.
 */

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs in strict mode; an unknown option or a missing value is a usage error. */
export function parseCommandArgs<const O extends Options>(
  argv: string[],
  options: O,
  { positionals = false }: { positionals?: boolean } = {},
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** What a number option accepts, named as its error message names it. */
const NUMBER_KINDS = {
  'a number': (v: number) => Number.isFinite(v),
  'a positive number': (v: number) => Number.isFinite(v) && v > 0,
  'a non-negative number': (v: number) => Number.isFinite(v) && v >= 0,
  'a positive integer': (v: number) => Number.isSafeInteger(v) && v > 0,
  'a non-negative integer': (v: number) => Number.isSafeInteger(v) && v >= 0,
  'a number in [0, 1]': (v: number) => v >= 0 && v <= 1,
} as const;

export type NumberKind = keyof typeof NUMBER_KINDS;

/** The value of `--flag`, which must be `kind`. */
export function parseNumber(flag: string, text: string, kind: NumberKind = 'a number'): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!NUMBER_KINDS[kind](value)) throw new UsageError(`--${flag} must be ${kind}, got '${text}'`);
  return value;
}

/** parseNumber for an option that may be absent. */
export function optionalNumber(flag: string, text: string | undefined, kind: NumberKind = 'a number') {
  return text === undefined ? undefined : parseNumber(flag, text, kind);
}

/** An input size: N (a cube) or D×H×W, written with x, × or commas. */
export function parseInputSize(text: string, flag = 'input'): Triple {
  const parts = text.split(/[x×,]/).map((p) => (p.trim() === '' ? NaN : Number(p)));
  const size = parts.length === 1 ? [parts[0], parts[0], parts[0]] : parts;
  if (size.length !== 3 || size.some((n) => !Number.isSafeInteger(n) || n < 1))
    throw new UsageError(`--${flag} must be N or DxHxW with positive integers, got '${text}'`);
  return size as Triple;
}

/** A stored run's id. */
export function parseRunId(text: string | undefined, what = 'a run id'): number {
  const id = Number(text);
  if (!text || !Number.isSafeInteger(id) || id <= 0)
    throw new UsageError(`expected ${what} (positive integer), got '${text ?? ''}'`);
  return id;
}

/** One of a fixed set of words, or undefined when the option is absent. */
export function parseChoice<T extends string>(
  flag: string,
  text: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T))
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got '${text}'`);
  return text as T;
}

/** The required `--net`: a zoo net's name. */
export function parseNetName(text: string | undefined): string {
  if (!text) throw new UsageError('--net is required');
  const known = listNets().map((n) => n.name);
  if (!known.includes(text)) throw new UsageError(`unknown net '${text}' (known: ${known.join(', ')})`);
  return text;
}

/** `--budget R=V` (ranp prune, ranp experiment): flops=0.1, flops=10%, memory=2GB, params=1.5M. */
export function parseBudgetOption(text: string): ResourceBudget {
  try {
    return parseBudget(text);
  } catch (error) {
    throw new UsageError(`--budget: ${error instanceof Error ? error.message : String(error)}`);
  }
}
