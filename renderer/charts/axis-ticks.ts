/**
 * About `count` round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi]. With `integer`
 * (epochs, steps) no tick falls between whole numbers.
 */
export function niceTicks(lo: number, hi: number, count = 5, integer = false): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const spacing = integer ? Math.max(1, Math.ceil(step)) : step;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / spacing) * spacing; t <= hi + spacing * 1e-9; t += spacing)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}
