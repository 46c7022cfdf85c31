/**
 * The import graph of src/, built with the TypeScript compiler's own resolver: static imports,
 * `import type`, re-exports and lazy `await import()` all count, because a type-only cycle still ties
 * two modules together and a lazy one still loads both. It must have no cycle (eslint's
 * import/no-cycle would need a new package; this needs only typescript).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const OPTIONS: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, jsx: ts.JsxEmit.ReactJSX };

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });

/** file -> the files of src/ it imports, both as paths relative to the repository root. */
const importGraph = (files: readonly string[]): ReadonlyMap<string, readonly string[]> => {
  const inSrc = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.flatMap(({ fileName }) => {
      const resolved = ts.resolveModuleName(fileName, file, OPTIONS, ts.sys).resolvedModule?.resolvedFileName;
      return resolved !== undefined && inSrc.has(resolved) ? [relative(ROOT, resolved)] : [];
    });
    graph.set(relative(ROOT, file), [...new Set(targets)].sort());
  }
  return graph;
};

/**
 * One cycle's path (a -> b -> ... -> a) per strongly connected component (Tarjan), with the
 * component's other members: breaking the path shown may leave another cycle among them.
 */
const cyclesOf = (graph: ReadonlyMap<string, readonly string[]>): { readonly path: string[]; readonly others: string[] }[] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
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
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component);
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components.map((component) => {
    const path = pathWithin(graph, new Set(component));
    return { path, others: component.filter((m) => !path.includes(m)).sort() };
  });
};

/** A shortest path from the component's first member back to itself, staying inside the component. */
const pathWithin = (graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>): string[] => {
  const start = [...component].sort()[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (!cameFrom.has(next) && next !== start) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
};

describe('the import graph of src/', () => {
  const graph = importGraph(sourceFiles(SRC));

  it('resolves the imports it sees (the check is not vacuous)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/cli/run.ts')?.length).toBeGreaterThan(0);
  });

  it('has no import cycle', () => {
    const cycles = cyclesOf(graph).map(({ path, others }) => path.join(' -> ') + (others.length > 0 ? ` (also tied in: ${others.join(', ')})` : ''));
    expect(cycles, `import cycles in src/:\n${cycles.join('\n')}`).toEqual([]);
  });
});

describe('cyclesOf', () => {
  it('reports a cycle with its path, a self-import too, and nothing for a diamond', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
      ['f', ['g', 'h']],
      ['g', ['i']],
      ['h', ['i']],
      ['i', []],
    ]);
    expect(cyclesOf(graph)).toEqual([
      { path: ['a', 'b', 'c', 'a'], others: [] },
      { path: ['e', 'e'], others: [] },
    ]);
  });
});
