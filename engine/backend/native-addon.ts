import { createRequire } from 'node:module';

/** Geometry of one 3D convolution handed to the addon (NDHWC activations, [kd,kh,kw,in/groups,out] filters). */
export interface NativeConvGeometry {
  batch: number;
  inChannels: number;
  outChannels: number;
  groups: number;
  inSize: [number, number, number];
  outSize: [number, number, number];
  kernel: [number, number, number];
  strides: [number, number, number];
  /** tfjs convention: 1 = dense. */
  dilations: [number, number, number];
  padBefore: [number, number, number];
  padAfter: [number, number, number];
}

/** A batch of row-major matrix products: op(A) is [m, k], op(B) is [k, n]; a/bBatches are batch or 1. */
export interface NativeMatMulGeometry {
  batch: number;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  aBatches: number;
  bBatches: number;
}

export interface NativeAddonInfo {
  oneDnnVersion: string;
  /** OpenMP threads oneDNN uses (OMP_NUM_THREADS, read once at process start). */
  threads: number;
  /** Instruction set oneDNN dispatches to, e.g. 'avx2', 'avx512_core'. */
  isa: string;
}

/** Element-wise binary operations the addon runs, named by their tfjs kernel names. */
export type NativeBinaryOp = 'Add' | 'Sub' | 'Multiply' | 'RealDiv' | 'Maximum' | 'SquaredDifference';

/** Element-wise unary operations the addon runs, named by their tfjs kernel names. */
export type NativeUnaryOp = 'Relu' | 'Step' | 'Neg' | 'Square' | 'Sqrt' | 'Rsqrt' | 'Exp';

/** The C++ addon in native/ (package @ranp/native). Every call writes its result into its `out`-like argument. */
export interface NativeAddon {
  info(): NativeAddonInfo;
  conv3dForward(x: Float32Array, filter: Float32Array, y: Float32Array, geometry: NativeConvGeometry): void;
  conv3dBackwardInput(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    geometry: NativeConvGeometry,
  ): void;
  conv3dBackwardFilter(
    x: Float32Array,
    dy: Float32Array,
    dFilter: Float32Array,
    geometry: NativeConvGeometry,
  ): void;
  /**
   * out[i] = op(a[⌊i / aRun⌋ mod a.length], b[⌊i / bRun⌋ mod b.length]); one operand must be
   * full-size (length out.length, run 1), the other full, one value, or tiling the output.
   */
  elementwiseBinary(
    op: NativeBinaryOp,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    aRun: number,
    bRun: number,
  ): void;
  /** out[i] = op(x[i]); `parameter` is Step's alpha and unused by the others. */
  elementwiseUnary(op: NativeUnaryOp, x: Float32Array, out: Float32Array, parameter: number): void;
  /** x viewed as [outer, reduce, inner]: out[o·inner + c] = Σ_r x[(o·reduce + r)·inner + c], accumulated in double. */
  sumBlock(x: Float32Array, out: Float32Array, outer: number, inner: number): void;
  /**
   * Mean softmax cross-entropy of [rows, classes] logits over the rows whose label is not
   * `ignoreLabel`; writes its gradient by the logits into `gradient` (engine/backend/fused-losses.ts).
   */
  softmaxCrossEntropy(
    logits: Float32Array,
    labels: Int32Array,
    gradient: Float32Array,
    classes: number,
    ignoreLabel: number,
  ): number;
  /** Σ over classes 1..C−1 of the smoothed soft Dice loss; writes its gradient by the logits into `gradient`. */
  softDice(
    logits: Float32Array,
    labels: Int32Array,
    gradient: Float32Array,
    classes: number,
    ignoreLabel: number,
    smooth: number,
  ): number;
  /**
   * Training batch norm of x viewed as [rows, gamma.length]: batch mean and biased variance per
   * channel, invStd = 1/√(variance + eps), y = (x − mean)·invStd·γ + β, rectified when `relu`
   * (engine/backend/fused-batch-norm.ts).
   */
  batchNormForward(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    invStd: Float32Array,
    eps: number,
    relu: boolean,
  ): void;
  /** batchNormForward's gradients by x, γ and β from ∂loss/∂y (masked by the forward's ReLU when `relu`). */
  batchNormBackward(
    x: Float32Array,
    dy: Float32Array,
    mean: Float32Array,
    invStd: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    relu: boolean,
  ): void;
  /**
   * For every index (i₁…iₖ) of extents[1…], copies extents[0] contiguous values from
   * src[srcOffset + Σ iₐ·srcStrides[a]] to dst[dstOffset + Σ iₐ·dstStrides[a]] (kernels/box-copy.ts).
   */
  copyStrided(
    src: Float32Array,
    dst: Float32Array,
    srcOffset: number,
    dstOffset: number,
    extents: number[],
    srcStrides: number[],
    dstStrides: number[],
  ): void;
  /** src viewed as [outer, dim, inner]: dst[o, i, :] = src[o, indices[i], :]. */
  gatherRuns(
    src: Float32Array,
    dst: Float32Array,
    outer: number,
    dim: number,
    inner: number,
    indices: Int32Array,
  ): void;
  /**
   * Nearest upsampling's gradient: dy [n, d·kd, h·kh, w·kw, c] → dx [n, d, h, w, c], each value the
   * float64 sum of its kd×kh×kw block in depth-height-width order (kernels/upsample-nearest3d-grad.ts).
   */
  blockSums(
    dy: Float32Array,
    dx: Float32Array,
    n: number,
    d: number,
    h: number,
    w: number,
    c: number,
    kd: number,
    kh: number,
    kw: number,
  ): void;
  /**
   * MaxPool3D: each clipped window's maximum per channel (from −∞, strict >: NaN never wins), written
   * to out; sizes, starts and ends as for maxPool3dBackward (kernels/max-pool3d.ts).
   */
  maxPool3dForward(
    input: Float32Array,
    out: Float32Array,
    sizes: Int32Array,
    starts: Int32Array,
    ends: Int32Array,
  ): void;
  /**
   * MaxPool3DGrad: dy at each window's argmax (tfjs's tie and NaN rules), 0 elsewhere: every dx value written;
   * sizes = [batch, channels, inD, inH, inW, outD, outH, outW], starts/ends the clipped windows of
   * depth, height then width (kernels/max-pool3d-grad.ts).
   */
  maxPool3dBackward(
    input: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    sizes: Int32Array,
    starts: Int32Array,
    ends: Int32Array,
  ): void;
  /** out[i] = op(a[i mod aBatches]) · op(b[i mod bBatches]) for each of `batch` [m, n] products (oneDNN sgemm). */
  batchMatMul(a: Float32Array, b: Float32Array, out: Float32Array, geometry: NativeMatMulGeometry): void;
  /**
   * The SGD update of one weight (kernels/sgd-update.ts): out and, with momentum, buffer written;
   * every operation in float32 as the composed ops round it. previous is null on the first step.
   */
  sgdUpdate(
    p: Float32Array,
    g: Float32Array,
    previous: Float32Array | null,
    out: Float32Array,
    buffer: Float32Array | null,
    weightDecay: number,
    momentum: number,
    keep: number,
    lr: number,
    nesterov: boolean,
  ): void;
  /** The Adam update of one weight (kernels/adam-update.ts): out, m and v written; m0, v0 null on the first step. */
  adamUpdate(
    p: Float32Array,
    g: Float32Array,
    m0: Float32Array | null,
    v0: Float32Array | null,
    out: Float32Array,
    m: Float32Array,
    v: Float32Array,
    weightDecay: number,
    beta1: number,
    beta2: number,
    keep1: number,
    keep2: number,
    eps: number,
    stepSize: number,
    secondCorrection: number,
  ): void;
  /**
   * Process-wide: freed tensor buffers stay in the heap for reuse instead of going back to the OS
   * (glibc mallopt); false where unsupported. Fresh buffers otherwise page-fault on first write,
   * which cost more than the element-wise kernels themselves.
   */
  retainFreedMemory(): boolean;
}

export type NativeLoadResult =
  { loaded: true; addon: NativeAddon; info: NativeAddonInfo } | { loaded: false; why: string };

/** How to get the fast path, for doctor and the selection report. */
export const NATIVE_FAST_PATH_HINT =
  'run `npm run setup` (it installs oneDNN and OpenMP, on Debian/Ubuntu libdnnl-dev, then rebuilds @ranp/native)';

/**
 * What running on tfjs's JavaScript kernels costs and the one step that ends it: the CLI's warning
 * and the app's (through the backend report's reason for 'cpu') both say this.
 */
export function jsKernelsNotice(env: NodeJS.ProcessEnv = process.env): string {
  const native = loadNativeAddon(env);
  const why = native.loaded ? 'the native kernels load but another backend was forced' : native.why;
  const fix = env.RANP_NATIVE === '0' ? 'unset RANP_NATIVE' : NATIVE_FAST_PATH_HINT;
  return `running on tfjs's JavaScript kernels: training steps take 40-175× as long as on the native oneDNN kernels (${why}). To fix: ${fix}`;
}

const ADDON_FUNCTIONS = [
  'info',
  'conv3dForward',
  'conv3dBackwardInput',
  'conv3dBackwardFilter',
  'elementwiseBinary',
  'elementwiseUnary',
  'sumBlock',
  'softmaxCrossEntropy',
  'softDice',
  'batchNormForward',
  'batchNormBackward',
  'copyStrided',
  'gatherRuns',
  'blockSums',
  'maxPool3dForward',
  'maxPool3dBackward',
  'batchMatMul',
  'sgdUpdate',
  'adamUpdate',
  'retainFreedMemory',
] as const;

let cached: NativeLoadResult | undefined;

function isNativeAddon(value: unknown): value is NativeAddon {
  return (
    typeof value === 'object' &&
    value !== null &&
    ADDON_FUNCTIONS.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
  );
}

/**
 * Loads @ranp/native once per process. Never throws: an absent package (it is an optional
 * dependency that does not build without libdnnl-dev) or a missing run-time library
 * (ERR_DLOPEN_FAILED) comes back as { loaded: false, why }. RANP_NATIVE=0 disables it.
 */
export function loadNativeAddon(env: NodeJS.ProcessEnv = process.env): NativeLoadResult {
  if (env.RANP_NATIVE === '0') return { loaded: false, why: 'disabled by RANP_NATIVE=0' };
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  try {
    const addon: unknown = require('@ranp/native');
    if (!isNativeAddon(addon)) {
      cached = {
        loaded: false,
        why: `@ranp/native is outdated: it lacks one of ${ADDON_FUNCTIONS.join(', ')}`,
      };
    } else {
      // The native backend's kernels allocate a tensor per call: reuse freed buffers (see retainFreedMemory).
      addon.retainFreedMemory();
      cached = { loaded: true, addon, info: addon.info() };
    }
  } catch (error) {
    cached = { loaded: false, why: describeLoadError(error) };
  }
  return cached;
}

function describeLoadError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (code === 'MODULE_NOT_FOUND' && message.includes("'@ranp/native'"))
    return '@ranp/native is not installed (optional dependency skipped or failed to build)';
  if (code === 'MODULE_NOT_FOUND') return `@ranp/native was not built (${message})`;
  if (code === 'ERR_DLOPEN_FAILED') return `@ranp/native failed to load a shared library: ${message}`;
  return `@ranp/native failed to load: ${message}`;
}
