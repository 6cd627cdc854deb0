/** Numbers as a clinician or researcher reads them: short, with units. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(Math.round(n));
}

export function formatFlops(flops: number): string {
  return `${formatCount(flops)}FLOPs`;
}

export function formatMB(mb: number): string {
  return mb >= 1024 ? `${(mb / 1024).toFixed(2)} GB` : `${mb.toFixed(mb < 10 ? 2 : 1)} MB`;
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** after/before as "−72.4%" (a reduction) or "+3.0%". */
export function formatChange(before: number, after: number): string {
  if (before === 0) return '—';
  const change = after / before - 1;
  return `${change <= 0 ? '−' : '+'}${Math.abs(change * 100).toFixed(1)}%`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A metric over seeds: "0.3425 ± 0.012" (sample std, n − 1). */
export function formatMeanStd(mean: number, std: number): string {
  return `${mean.toPrecision(4)} ± ${std === 0 ? '0' : std.toPrecision(2)}`;
}
