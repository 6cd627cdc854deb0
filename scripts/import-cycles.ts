/**
 * `npm run cycles` (in npm test): fails when the project's modules import each other in a cycle.
 * Type-only imports count: a cycle of types still ties two modules together.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The folders whose modules are checked (tests may import freely). */
export const CHECKED_FOLDERS = ['engine', 'renderer', 'electron', 'scripts', 'bench'];

const SOURCE = /\.(ts|svelte)$/;

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(file);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** The import specifiers of one file (a .svelte file's <script> blocks). */
function specifiers(file: string): string[] {
  let text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.svelte'))
    text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The file a relative specifier names ('./x.js' is ./x.ts in source), or undefined if not a module here. */
function resolve(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((c) => files.has(c));
}

/** Module → the project modules it imports, over every source file under the folders. */
export function importGraph(
  root: string,
  folders: readonly string[] = CHECKED_FOLDERS,
): Map<string, string[]> {
  const files = folders.flatMap((f) => sourceFiles(path.join(root, f)));
  const known = new Set(files);
  return new Map(
    files.map((file) => [
      file,
      [
        ...new Set(
          specifiers(file)
            .map((s) => resolve(file, s, known))
            .filter((f): f is string => f !== undefined),
        ),
      ],
    ]),
  );
}

/**
 * One cycle per strongly connected component that has one (Tarjan's algorithm), each as the path
 * a → b → … → a, so the message shows which imports to cut.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components.map((component) => cycleWithin(graph, new Set(component)));
}

/** A shortest path from the component's first module back to itself, inside the component. */
function cycleWithin(
  graph: ReadonlyMap<string, readonly string[]>,
  component: ReadonlySet<string>,
): string[] {
  const start = [...component].sort()[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const cycle = [start];
        for (let at = node; at !== start; at = previous.get(at)!) cycle.unshift(at);
        cycle.unshift(start);
        return cycle;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

export function main(root = process.cwd()): number {
  const graph = importGraph(root);
  const cycles = findCycles(graph);
  const rel = (f: string) => path.relative(root, f);
  if (cycles.length === 0) {
    console.log(`import cycles: none among ${graph.size} modules (${CHECKED_FOLDERS.join(', ')})`);
    return 0;
  }
  console.error(`import cycles: ${cycles.length} found; cut one import in each:`);
  for (const cycle of cycles) console.error(`  ${cycle.map(rel).join(' → ')}`);
  return 1;
}
