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
  /** The dataset's name and the folder layout its reader expects (README, Datasets), for messages. */
  dataset: string;
  layout: string;
  /** How Compare shows a validation sample's segmentations: MRI volumes, voxel shapes, or not at all. */
  segmentationView: 'volume' | 'shape' | null;
  /** The colour table of a volume task's labels, assets/colour-tables/NAME.json (others: null). */
  labelColours: string | null;
}

export const TASKS = {
  shapenet: {
    label: '3D shape part segmentation',
    defaultLambda: 11,
    primaryMetric: 'class mIoU',
    segmentationView: 'shape',
    labelColours: null,
    dataset: 'ShapeNet part',
    layout:
      'shapenetcore_partanno_segmentation_benchmark_v0/ with synsetoffset2category.txt, <synset>/points/*.pts, points_label/*.seg, train_test_split/',
  },
  brats: {
    label: 'Brain tumour segmentation (MRI)',
    defaultLambda: 15,
    primaryMetric: 'dice mean',
    segmentationView: 'volume',
    labelColours: 'brats',
    dataset: "BraTS'18",
    layout:
      '{HGG,LGG}/<subject>/<subject>_{flair,t1,t1ce,t2,seg}.nii.gz (or subjects directly in the folder)',
  },
  ucf101: {
    label: 'Action recognition (video)',
    defaultLambda: 80,
    primaryMetric: 'video top1',
    segmentationView: null,
    labelColours: null,
    dataset: 'UCF101',
    layout: 'UCF-101/<Class>/v_*.avi with ucfTrainTestlist/{classInd,trainlist01,testlist01}.txt',
  },
} as const satisfies Record<string, TaskInfo>;

export type TaskName = keyof typeof TASKS;

export const TASK_NAMES = Object.keys(TASKS) as [TaskName, ...TaskName[]];

/** "shapenet 11, brats 15, ucf101 80": the λ each task prunes with unless told (for help texts). */
export function defaultLambdas(): string {
  return TASK_NAMES.map((name) => `${name} ${TASKS[name].defaultLambda}`).join(', ');
}

export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(TASKS, name);
}
