// The renderer bundles engine/domain (through engine/protocol); the method table there is derived
// from the criteria registry, so everything that registry loads at run time must be pure code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Modules loaded at run time from `file` (type-only imports are erased and not followed). */
function runtimeClosure(file: string, seen = new Set<string>(), external = new Set<string>()) {
  if (seen.has(file)) return { seen, external };
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
    const spec = match[1];
    if (!spec.startsWith('.')) external.add(spec);
    else runtimeClosure(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')), seen, external);
  }
  return { seen, external };
}

describe('engine/domain is safe for the renderer', () => {
  it('loads no tfjs, no Node built-in and no engine module outside domain, prune/criteria and pure helpers', () => {
    const { seen, external } = runtimeClosure(path.resolve('engine/domain/index.ts'));
    expect([...external]).toEqual([]);
    const modules = [...seen].map((f) => path.relative(process.cwd(), f)).sort();
    expect(modules).toContain('engine/prune/criteria/registry.ts');
    for (const m of modules) expect(m).toMatch(/^engine\/(domain|prune|train\/rng\.ts|data\/random\.ts)/);
  });
});
