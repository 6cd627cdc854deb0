/**
 * Which layer outputs the feature-memory count sums (docs/method.md section 4). The paper counts
 * the outputs of the reference implementation's modules: where it applies an activation as a
 * function (I3D's ReLU inside each conv unit) that output is not counted. For U-Net and
 * MobileNetV2 both conventions give the same numbers; for I3D at 16×224² 201.28 MB against
 * 286.21 MB.
 */
export const MEMORY_CONVENTIONS = {
  paper: {
    label: "paper's convention",
    description:
      "outputs of the reference implementation's modules (activations it applies as functions not counted)",
  },
  modules: {
    label: 'every layer module',
    description: 'outputs of every layer module, activations included',
  },
} as const satisfies Record<string, { label: string; description: string }>;

export type MemoryConvention = keyof typeof MEMORY_CONVENTIONS;

export const MEMORY_CONVENTION_NAMES = Object.keys(MEMORY_CONVENTIONS) as [
  MemoryConvention,
  ...MemoryConvention[],
];

export const DEFAULT_MEMORY_CONVENTION: MemoryConvention = 'paper';
