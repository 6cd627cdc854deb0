import type { JsonObject, JsonValue, ParamDifference } from './types.js';

/** Flattens nested objects to dot paths ('optimizer.lr'); arrays are compared whole. */
export function flattenJson(value: JsonObject, prefix = ''): Map<string, JsonValue> {
  const flat = new Map<string, JsonValue>();
  for (const [key, child] of Object.entries(value)) {
    const pathKey = prefix ? `${prefix}.${key}` : key;
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
      for (const [k, v] of flattenJson(child, pathKey)) flat.set(k, v);
    } else flat.set(pathKey, child);
  }
  return flat;
}

/** JSON text with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

/** The dot paths whose values are not all equal across the objects (missing counts as a value). */
export function differingParams(objects: readonly JsonObject[]): ParamDifference[] {
  const flats = objects.map((o) => flattenJson(o));
  const keys = [...new Set(flats.flatMap((f) => [...f.keys()]))].sort();
  return keys
    .map((key) => ({ key, values: flats.map((f) => f.get(key)) }))
    .filter(({ values }) => new Set(values.map(canonicalJson)).size > 1);
}

/** Losses, distances (HD95), errors, times and costs improve downwards; accuracies, Dice and IoU upwards. */
export function betterDirection(metricName: string): 'min' | 'max' {
  return /loss|error|err\b|hd95|hausdorff|distance|time|seconds|flops|params|memory|\bmb\b|bytes/i.test(
    metricName,
  )
    ? 'min'
    : 'max';
}

/** Mean and sample standard deviation (n − 1; 0 for one value). */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) throw new RangeError('meanAndStd: no values');
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  if (values.length === 1) return { mean, std: 0 };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/** A copy without any key named 'seed', at any depth: what runs of one seed group share. */
export function withoutSeed(value: JsonObject): JsonObject {
  const copy: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'seed') continue;
    copy[key] =
      child !== null && typeof child === 'object' && !Array.isArray(child) ? withoutSeed(child) : child;
  }
  return copy;
}
