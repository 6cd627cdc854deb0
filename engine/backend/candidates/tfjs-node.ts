import type { BackendCandidate } from './candidate.js';
import { activateTensorflowBinding } from './tensorflow-binding.js';

export const tfjsNode: BackendCandidate = {
  name: 'tfjs-node',
  tensorMemory: 'host',
  activate: () => activateTensorflowBinding('@tensorflow/tfjs-node'),
};
