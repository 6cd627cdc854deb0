/** "1 sample", "2 samples", "3 sparsities": a count with its noun, for engine and UI text alike. */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
