import type { Triple } from './description.js';
import { LayerError } from './errors.js';
import { formatTriple } from './padding.js';

/** Sizes tried along an axis (at least twice the size asked for): enough to see a pattern of poolings and strides. */
const SCAN = 128;
const AXES = ['depth', 'height', 'width'] as const;

/** The sizes an axis takes up to `limit`, the other axes held at `reference`, by the net's own shape inference. */
function sizesAlong(
  fits: (size: Triple) => boolean,
  reference: Triple,
  axis: number,
  limit: number,
): number[] {
  const sizes: number[] = [];
  for (let n = 1; n <= limit; n++) {
    const size = [...reference] as Triple;
    size[axis] = n;
    if (fits(size)) sizes.push(n);
  }
  return sizes;
}

/** "8 or more", "multiples of 4 from 8", "3, 5, 7, …": the sizes seen up to the scan limit as people say them. */
function pattern(sizes: number[], limit: number): string | undefined {
  const [first, second] = sizes;
  if (second === undefined) return undefined;
  const step = second - first;
  const regular = sizes.every((n, i) => n === first + i * step) && sizes.at(-1)! + step > limit;
  if (!regular) return undefined;
  if (step === 1) return `${first} or more`;
  if (first === step) return `multiples of ${step}`;
  return first % step === 0
    ? `multiples of ${step} from ${first}`
    : `${first}, ${first + step}, ${first + 2 * step}, …`;
}

/** `sizes` is never empty: the reference's own size along the axis is among them. */
function nearest(sizes: number[], n: number): string {
  const below = sizes.filter((s) => s < n).at(-1);
  const above = sizes.find((s) => s > n);
  const near = [below, above].filter((s) => s !== undefined);
  return `the nearest that ${near.length > 1 ? 'work' : 'works'}: ${near.join(' and ')}`;
}

/**
 * A size the net cannot take, with the sizes it can: along each axis that fails, the pattern of
 * sizes its poolings and strides allow and the nearest smaller and larger ones.
 */
export class InputSizeError extends LayerError {
  constructor(
    readonly net: string,
    readonly inputSize: Triple,
    cause: LayerError,
    readonly hints: string[],
  ) {
    super(cause.layer, cause.problem);
    this.name = 'InputSizeError';
    this.message = `net '${net}' cannot take input ${formatTriple(inputSize)}: ${cause.message}. ${hints.join('. ')}.`;
  }
}

/**
 * Explains a shape error as an input size the net cannot take, or undefined when no other size
 * would help (a net whose layers do not fit together at any size). `fits` is the net's shape
 * inference; `preferred` a size tried first as the one the other axes are held at.
 */
export function inputSizeError(
  net: string,
  inputSize: Triple,
  cause: LayerError,
  fits: (size: Triple) => boolean,
  preferred: Triple,
): InputSizeError | undefined {
  let reference: Triple | undefined = fits(preferred) ? preferred : undefined;
  for (let n = 1; !reference && n <= SCAN; n++) if (fits([n, n, n])) reference = [n, n, n];
  if (!reference) return undefined;
  const failing = [0, 1, 2].filter((axis) => {
    const size = [...reference] as Triple;
    size[axis] = inputSize[axis];
    return !fits(size);
  });
  // The axes only fail together: the size that works is the reference itself.
  if (!failing.length) return new InputSizeError(net, inputSize, cause, [`${formatTriple(reference)} works`]);
  const limit = Math.max(SCAN, 2 * Math.max(...inputSize));
  const clauses = failing.map((axis) => {
    const sizes = sizesAlong(fits, reference, axis, limit);
    const takes = pattern(sizes, limit) ?? `${sizes.slice(0, 6).join(', ')}${sizes.length > 6 ? ', …' : ''}`;
    return { axis, text: `it takes ${takes}; ${nearest(sizes, inputSize[axis])}` };
  });
  const same = failing.length === 3 && clauses.every((c) => c.text === clauses[0].text);
  return new InputSizeError(
    net,
    inputSize,
    cause,
    same
      ? [`Along each axis ${clauses[0].text}`]
      : clauses.map((c) => `Along ${AXES[c.axis]} (${inputSize[c.axis]}) ${c.text}`),
  );
}
