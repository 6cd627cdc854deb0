/** One kernel call as tf.profile reports it (the fields used here). */
export interface ProfiledKernel {
  name: string;
  kernelTimeMs: number | { error: string } | Promise<number | { error: string }>;
}

const CONV_KERNELS = new Set(['Conv3D', 'Conv3DBackpropInputV2', 'Conv3DBackpropFilterV2']);

/**
 * Kernel time grouped: conv3d kernels vs the rest, and the heaviest other kernels by name, so a
 * report shows what dominates a step once conv3d is native (element-wise ops of norm and loss).
 */
export function kernelBreakdown(
  kernels: readonly ProfiledKernel[],
  top = 6,
): Record<string, number | string> {
  const byName = new Map<string, number>();
  for (const k of kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byName.set(k.name, (byName.get(k.name) ?? 0) + ms);
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  const conv = [...byName].filter(([name]) => CONV_KERNELS.has(name)).reduce((a, [, ms]) => a + ms, 0);
  const others = [...byName]
    .filter(([name]) => !CONV_KERNELS.has(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
    .join(', ');
  return {
    kernelMs: total,
    convKernelMs: conv,
    convShare: total > 0 ? conv / total : 0,
    topOtherKernels: others,
  };
}
