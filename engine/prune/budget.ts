import { RESOURCE_NAMES } from '../domain/resources.js';
import type { ResourceBudget, ResourceKind } from './types.js';

const UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
  b: 1,
  kb: 2 ** 10,
  mb: 2 ** 20,
  gb: 2 ** 30,
  tb: 2 ** 40,
};

const BUDGET_PATTERN = new RegExp(
  `^\\s*(${RESOURCE_NAMES.join('|')})\\s*=\\s*([0-9]*\\.?[0-9]+(?:e[+-]?\\d+)?)\\s*(%|[a-z]*)\\s*$`,
  'i',
);

/**
 * Parses a user budget: `flops=0.1` or `flops=10%` (fraction of the full net), `flops=2.5G`,
 * `params=1.5M` (absolute counts, k/M/G/T = 10³…), `memory=2GB` (bytes of float32 feature maps,
 * KB/MB/GB = 2¹⁰…, as the paper reports MB). A plain number ≤ 1 is a fraction.
 */
export function parseBudget(text: string): ResourceBudget {
  const match = BUDGET_PATTERN.exec(text);
  if (!match) {
    throw new Error(
      `budget '${text}': expected flops=, memory= or params= with a fraction (0.1, 10%) or an amount (2GB, 1.5G)`,
    );
  }
  const resource = match[1].toLowerCase() as ResourceKind;
  const value = Number(match[2]);
  const unit = match[3].toLowerCase();
  if (unit === '%') return { resource, value: value / 100, relative: true };
  const scale = UNITS[unit];
  const byteUnit = unit.endsWith('b');
  if (scale === undefined || (byteUnit && resource !== 'memory')) {
    throw new Error(`budget '${text}': unit '${match[3]}' does not apply to ${resource}`);
  }
  if (unit === '' && value <= 1) return { resource, value, relative: true };
  if (resource === 'memory' && !byteUnit) {
    throw new Error(`budget '${text}': give memory as a fraction (0.1, 10%) or in bytes (512MB, 2GB)`);
  }
  return { resource, value: value * scale, relative: false };
}
