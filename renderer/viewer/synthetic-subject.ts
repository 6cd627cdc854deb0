import type { VolumeHeader } from '../../engine/protocol/volume.js';
import type { ViewerVolume } from './volume-data.js';

const DIMS: [number, number, number] = [240, 240, 155];
// 1 mm voxels; i → patient left, j → posterior, k → superior (the LPS storage BraTS files commonly use).
const AFFINE = [-1, 0, 0, 120, 0, -1, 0, 120, 0, 0, 1, -77, 0, 0, 0, 1];

function header(id: string, title: string, kind: 'image' | 'labels', channels: string[]): VolumeHeader {
  return {
    id,
    title,
    kind,
    dims: DIMS,
    channels,
    dataType: kind === 'image' ? 'int16' : 'uint8',
    affine: AFFINE,
    ranges: channels.map((): [number, number] => (kind === 'image' ? [0, 1000] : [0, 4])),
  };
}

/**
 * A synthetic subject at BraTS size (240×240×155, flair/t1ce/t1/t2 int16) with a nested-sphere tumour
 * (edema 2 ⊃ enhancing 4 ⊃ necrotic core 1) and two "predictions" (the tumour moved by 2 and 4 voxels).
 * For checking that the viewer copes with the real data size; it is not anatomy.
 */
export function syntheticBratsSubject(): {
  image: ViewerVolume;
  truth: ViewerVolume;
  unpruned: ViewerVolume;
  pruned: ViewerVolume;
} {
  const [ni, nj, nk] = DIMS;
  const voxels = ni * nj * nk;
  const modalities = [0, 1, 2, 3].map(() => new Int16Array(voxels));
  const tumour = (shift: number): Uint8Array => {
    const labels = new Uint8Array(voxels);
    for (let k = 0, v = 0; k < nk; k++)
      for (let j = 0; j < nj; j++)
        for (let i = 0; i < ni; i++, v++) {
          const r = Math.hypot(i - 150 - shift, j - 110, k - 90);
          labels[v] = r < 6 ? 1 : r < 12 ? 4 : r < 22 ? 2 : 0;
        }
    return labels;
  };
  for (let k = 0, v = 0; k < nk; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++, v++) {
        const brain = ((i - 120) / 75) ** 2 + ((j - 120) / 95) ** 2 + ((k - 77) / 65) ** 2 < 1;
        if (!brain) continue;
        const texture = 300 + 200 * Math.sin(i / 7) * Math.cos(j / 9) + k;
        modalities.forEach((m, c) => (m[v] = Math.round(texture * (1 + 0.2 * c))));
      }
  const image: ViewerVolume = {
    header: header('brats-sized', 'BraTS-sized subject', 'image', ['flair', 't1ce', 't1', 't2']),
    channels: modalities,
  };
  const labels = (id: string, title: string, shift: number): ViewerVolume => ({
    header: header(id, title, 'labels', ['labels']),
    channels: [tumour(shift)],
  });
  return {
    image,
    truth: labels('truth', 'ground truth', 0),
    unpruned: labels('unpruned', 'unpruned (tumour moved 2)', 2),
    pruned: labels('pruned', 'pruned (tumour moved 4)', 4),
  };
}
