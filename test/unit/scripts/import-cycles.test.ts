import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findCycles, importGraph } from '../../../scripts/import-cycles.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

/** Writes the files (path → text) into a fresh folder laid out like the repository. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ranp-cycles-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const relative = (root: string, cycles: string[][]) =>
  cycles.map((c) => c.map((f) => path.relative(root, f)));

describe('import cycle check', () => {
  it('catches a type-only cycle of three modules and names it in import order', () => {
    const root = tree({
      'engine/a.ts': `import type { B } from './b.js';\nexport type A = B;`,
      'engine/b.ts': `import { c } from './sub/c.js';\nexport type B = number; export const b = c;`,
      'engine/sub/c.ts': `export { a } from '../a.js';\nexport const c = 1;`,
      'engine/leaf.ts': `import { b } from './b.js';\nexport const leaf = b;`,
    });
    expect(relative(root, findCycles(importGraph(root, ['engine'])))).toEqual([
      ['engine/a.ts', 'engine/b.ts', 'engine/sub/c.ts', 'engine/a.ts'],
    ]);
  });

  it('follows folder index files and .svelte <script> blocks across folders', () => {
    const root = tree({
      'renderer/View.svelte': `<script lang="ts">\n  import { model } from './model/index.js';\n</script>\n<p>{model}</p>`,
      'renderer/model/index.ts': `import View from '../View.svelte';\nexport const model = View;`,
    });
    expect(relative(root, findCycles(importGraph(root, ['renderer'])))).toEqual([
      ['renderer/View.svelte', 'renderer/model/index.ts', 'renderer/View.svelte'],
    ]);
  });

  it('reports a module importing itself, and nothing for an acyclic graph or package imports', () => {
    const root = tree({
      'engine/self.ts': `import { x } from './self.js';\nexport const y = x;`,
      'engine/top.ts': `import fs from 'node:fs';\nimport { z } from 'zod';\nimport { low } from './low.js';\nexport const t = [fs, z, low];`,
      'engine/low.ts': `export const low = 1;`,
    });
    expect(relative(root, findCycles(importGraph(root, ['engine'])))).toEqual([
      ['engine/self.ts', 'engine/self.ts'],
    ]);
    fs.rmSync(path.join(root, 'engine/self.ts'));
    expect(findCycles(importGraph(root, ['engine']))).toEqual([]);
  });

  it('finds none in this repository', () => {
    const cycles = findCycles(importGraph(process.cwd()));
    expect(relative(process.cwd(), cycles)).toEqual([]);
  });
});
