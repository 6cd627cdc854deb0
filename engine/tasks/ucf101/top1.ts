/**
 * UCF101 top-1 accuracy. Clip accuracy: argmax of each clip's scores against its label.
 * Video accuracy: the softmax probabilities of a video's clips are averaged (the reference
 * evaluates 3 centre-cropped clips per video) and the argmax of the mean is compared with the label.
 */

export interface ClipScores {
  video: string;
  /** Logits over the classes. */
  logits: ArrayLike<number>;
  label: number;
}

export function argmax(values: ArrayLike<number>): number {
  if (values.length === 0) throw new Error('argmax: no values');
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

export function clipTop1(clips: readonly ClipScores[]): number {
  if (clips.length === 0) throw new Error('clipTop1: no clips');
  return clips.filter((c) => argmax(c.logits) === c.label).length / clips.length;
}

export function videoTop1(clips: readonly ClipScores[]): number {
  if (clips.length === 0) throw new Error('videoTop1: no clips');
  const videos = new Map<string, { probabilities: Float64Array; label: number }>();
  for (const clip of clips) {
    const p = softmax(clip.logits);
    const entry = videos.get(clip.video);
    if (!entry) videos.set(clip.video, { probabilities: p, label: clip.label });
    else {
      if (entry.label !== clip.label)
        throw new Error(`videoTop1: clips of '${clip.video}' have labels ${entry.label} and ${clip.label}`);
      for (let i = 0; i < p.length; i++) entry.probabilities[i] += p[i];
    }
  }
  let correct = 0;
  for (const v of videos.values()) if (argmax(v.probabilities) === v.label) correct++;
  return correct / videos.size;
}
