/**
 * BraTS region Dice. Labels: 1 necrotic/non-enhancing core, 2 oedema, 4 enhancing tumour.
 * Regions: enhancing tumour ET = {4}, tumour core TC = {1, 4}, whole tumour WT = {> 0}.
 * Dice(A, B) = 2|A ∩ B| / (|A| + |B|); when both are empty the prediction is perfect and Dice = 1
 * (the BraTS evaluation convention). Voxels whose truth is the ignore label are skipped.
 */

export type BratsRegion = 'et' | 'tc' | 'wt';

export const BRATS_REGIONS: Record<BratsRegion, (label: number) => boolean> = {
  et: (l) => l === 4,
  tc: (l) => l === 1 || l === 4,
  wt: (l) => l > 0,
};

export function diceScore(
  prediction: ArrayLike<boolean | number>,
  truth: ArrayLike<boolean | number>,
): number {
  if (prediction.length !== truth.length)
    throw new Error(`diceScore: prediction has ${prediction.length} voxels, truth ${truth.length}`);
  let both = 0;
  let sizes = 0;
  for (let i = 0; i < truth.length; i++) {
    const p = prediction[i] ? 1 : 0;
    const t = truth[i] ? 1 : 0;
    both += p & t;
    sizes += p + t;
  }
  return sizes === 0 ? 1 : (2 * both) / sizes;
}

/** Boolean masks of a region, with ignored voxels dropped from both. */
export function regionMasks(
  prediction: ArrayLike<number>,
  truth: ArrayLike<number>,
  region: BratsRegion,
  ignoreLabel = 255,
): { prediction: Uint8Array; truth: Uint8Array } {
  if (prediction.length !== truth.length)
    throw new Error(`regionMasks: prediction has ${prediction.length} voxels, truth ${truth.length}`);
  const inRegion = BRATS_REGIONS[region];
  const p = new Uint8Array(truth.length);
  const t = new Uint8Array(truth.length);
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] === ignoreLabel) continue;
    p[i] = inRegion(prediction[i]) ? 1 : 0;
    t[i] = inRegion(truth[i]) ? 1 : 0;
  }
  return { prediction: p, truth: t };
}

export function bratsDice(
  prediction: ArrayLike<number>,
  truth: ArrayLike<number>,
  ignoreLabel = 255,
): Record<BratsRegion, number> {
  const dice = (region: BratsRegion) => {
    const masks = regionMasks(prediction, truth, region, ignoreLabel);
    return diceScore(masks.prediction, masks.truth);
  };
  return { et: dice('et'), tc: dice('tc'), wt: dice('wt') };
}
