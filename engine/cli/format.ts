/** Text output the commands share. */

/** Fixed-width text table; numbers right-aligned. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const text = rows.map((row) => row.map((cell) => (cell === null ? '-' : String(cell))));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => row[i].length)));
  const line = (cells: readonly string[], numeric: readonly boolean[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const numericColumns = header.map(
    (_, i) => rows.length > 0 && rows.every((row) => row[i] === null || typeof row[i] === 'number'),
  );
  return [
    line(
      header,
      header.map(() => false),
    ),
    line(
      widths.map((w) => '-'.repeat(w)),
      numericColumns,
    ),
    ...text.map((row) => line(row, numericColumns)),
  ].join('\n');
}

/** 1234567 → '1.23M' (SI prefixes, 3 significant digits). */
export function humanCount(value: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  const [scale, unit] = units.find(([s]) => Math.abs(value) >= s) ?? [1, ''];
  return `${Number((value / scale).toPrecision(3))}${unit}`;
}
