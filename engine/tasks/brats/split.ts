import type { SplitName } from '../../data/dataset.js';
import { seededRandom, shuffled } from '../../data/random.js';
import type { BratsSubject } from './layout.js';

export interface SubjectSplitOptions {
  /** Fraction of each grade held out for validation (default 0.2, at least one subject per grade when the grade has two or more). */
  valFraction?: number;
  /** Default 0. */
  seed?: number;
}

/**
 * Seeded train/validation split, stratified by grade (HGG, LGG, unknown) so both splits see both
 * tumour kinds. BraTS' labelled data has no separate test set: 'test' is the validation subjects.
 */
export function splitBratsSubjects(
  subjects: readonly BratsSubject[],
  split: SplitName,
  options: SubjectSplitOptions = {},
): BratsSubject[] {
  const valFraction = options.valFraction ?? 0.2;
  if (!(valFraction >= 0 && valFraction < 1))
    throw new RangeError(`valFraction must be in [0, 1), got ${valFraction}`);
  const random = seededRandom(options.seed ?? 0);
  const chosen: BratsSubject[] = [];
  for (const grade of ['HGG', 'LGG', 'unknown'] as const) {
    const group = shuffled(
      subjects.filter((s) => s.grade === grade),
      random,
    );
    const held =
      group.length >= 2 ? Math.max(valFraction > 0 ? 1 : 0, Math.round(group.length * valFraction)) : 0;
    chosen.push(...(split === 'train' ? group.slice(held) : group.slice(0, held)));
  }
  return chosen.sort((a, b) => a.id.localeCompare(b.id));
}
