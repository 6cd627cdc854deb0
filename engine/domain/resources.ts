/**
 * The three resources RANP trades off (docs/method.md section 4), with what the UI calls them: the
 * RANP-f/m/p reweighting, budgets and the resource counts name them from this list.
 */
export const RESOURCES = {
  flops: { label: 'FLOPs' },
  memory: { label: 'memory' },
  params: { label: 'parameters' },
} as const;

export type ResourceName = keyof typeof RESOURCES;

export const RESOURCE_NAMES = Object.keys(RESOURCES) as [ResourceName, ...ResourceName[]];
