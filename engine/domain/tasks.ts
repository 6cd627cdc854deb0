/**
 * Every task the product trains, one line each: its label, the paper's λ default and the metric
 * the paper reports for it (Xu et al., 3DV 2020, arXiv 2010.02488). The protocol's task enum and
 * the renderer's labels are derived from it.
 */
export interface TaskInfo {
  label: string;
  defaultLambda: number;
  /** The headline validation metric (higher is better), as the evaluation names it. */
  primaryMetric: string;
}

export const TASKS = {
  shapenet: { label: '3D shape part segmentation', defaultLambda: 11, primaryMetric: 'class mIoU' },
  brats: { label: 'Brain tumour segmentation (MRI)', defaultLambda: 15, primaryMetric: 'dice mean' },
  ucf101: { label: 'Action recognition (video)', defaultLambda: 80, primaryMetric: 'video top1' },
} as const satisfies Record<string, TaskInfo>;

export type TaskName = keyof typeof TASKS;

export const TASK_NAMES = Object.keys(TASKS) as [TaskName, ...TaskName[]];

export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(TASKS, name);
}
