/**
 * Every task the product trains, one line each: its label and the paper's λ default
 * (Xu et al., 3DV 2020, arXiv 2010.02488). The protocol's task enum and the renderer's labels are derived from it.
 */
export interface TaskInfo {
  label: string;
  defaultLambda: number;
}

export const TASKS = {
  shapenet: { label: '3D shape part segmentation', defaultLambda: 11 },
  brats: { label: 'Brain tumour segmentation (MRI)', defaultLambda: 15 },
  ucf101: { label: 'Action recognition (video)', defaultLambda: 80 },
} as const satisfies Record<string, TaskInfo>;

export type TaskName = keyof typeof TASKS;

export const TASK_NAMES = Object.keys(TASKS) as [TaskName, ...TaskName[]];

export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(TASKS, name);
}
