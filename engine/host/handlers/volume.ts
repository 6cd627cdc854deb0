import { stat } from 'node:fs/promises';
import { isTaskName, TASK_NAMES, TASKS } from '../../domain/tasks.js';
import { DEFAULT_VIEWER_LIMITS, fitFactors, type ViewerLimits } from '../../domain/viewer-fit.js';
import { niftiToVolume, readNifti, type NiftiImage, type ToVolumeOptions } from '../../data/index.js';
import { experimentInputSize, openEvaluationSplit } from '../../experiment/evaluate-role.js';
import { resolveConfig } from '../../experiment/config.js';
import { ProtocolError } from '../../protocol/errors.js';
import { encodeRuns, encodeZeroRuns, volumeArray, type VolumeHeader } from '../../protocol/volume.js';
import { taskModule } from '../../tasks/registry.js';
import type { TaskVolumes } from '../../tasks/task.js';
import { lookup, parseRunId } from './run-lookup.js';
import type { Handler, HostContext } from '../context.js';

type Loaded = { header: VolumeHeader; payload: Uint8Array };

/**
 * What a decoded image becomes on the wire (the payload, the intensity ranges, a label map's run-length
 * code, an image without its zero runs), kept with the image while ctx.volumes keeps it: a case opened again is sent as it is, without
 * another pass over its voxels. Keyed by everything the header and payload depend on except the id.
 */
const wireForms = new WeakMap<NiftiImage, Map<string, Loaded>>();

function wire(image: NiftiImage, options: ToVolumeOptions): Loaded {
  const key = JSON.stringify([options.kind, options.title, options.factors, options.channelNames]);
  let forms = wireForms.get(image);
  if (!forms) wireForms.set(image, (forms = new Map()));
  let form = forms.get(key);
  if (!form) {
    const { header, payload } = niftiToVolume(image, options);
    const voxels = volumeArray(header, payload);
    const zeroRuns = header.kind === 'image' ? encodeZeroRuns(voxels) : null;
    if (header.kind === 'labels' && voxels instanceof Uint8Array) {
      const encoded = encodeRuns(voxels);
      form = { header: { ...header, runs: encoded.runs }, payload: encoded.payload };
    } else if (zeroRuns)
      form = { header: { ...header, zeroRuns: zeroRuns.zeroRuns }, payload: zeroRuns.payload };
    else form = { header, payload: new Uint8Array(payload) };
    forms.set(key, form);
  }
  return { header: { ...form.header, id: options.id }, payload: form.payload };
}

/**
 * A run's stored prediction, or the input image / ground truth of that sample as its task says
 * (engine/tasks/task.ts TaskVolumes: files of the run's dataset folder, or the evaluation split's
 * labels), as header + voxels for the 3D viewer. Decoded files are kept in ctx.volumes, so the same
 * case opens again without reading or inflating anything.
 */
export const getVolume: Handler<'volume.get'> = async (params, ctx) => {
  const { runId, sample, which, channels } = params;
  // Full resolution within the viewer's limits; beyond them every f-th voxel, f named in the header.
  const limits: ViewerLimits = {
    maxTextureSize: params.maxTextureSize ?? DEFAULT_VIEWER_LIMITS.maxTextureSize,
    maxVoxels: params.maxVoxels ?? DEFAULT_VIEWER_LIMITS.maxVoxels,
  };
  const store = ctx.store();
  const run = lookup(() => store.getRun(parseRunId(runId)));
  const volumeId = `${runId}/${sample}/${which}`;
  if (channels && which !== 'image')
    throw new ProtocolError('invalid-params', `channels apply to the image only, not to the ${which}`);
  const volumes =
    run.dataset !== null && isTaskName(run.dataset) ? taskModule(run.dataset).volumes : undefined;
  const { header, payload } =
    which === 'prediction'
      ? await prediction(ctx, run.id, sample, volumeId, run.role, limits)
      : which === 'truth' && volumes?.truthFromSplit
        ? await splitTruth(ctx, run.config, sample, volumeId)
        : await fromDataset(ctx, run.config.data, volumes, sample, which, volumeId, channels, limits);
  return { result: header, payload };
};

async function prediction(
  ctx: HostContext,
  runId: number,
  sample: string,
  volumeId: string,
  role: string | null,
  limits: ViewerLimits,
): Promise<Loaded> {
  const store = ctx.store();
  const artifact = ctx.evaluations.predictionsBySample(store, runId).get(sample);
  if (!artifact) throw new ProtocolError('not-found', `run ${runId} has no prediction for '${sample}'`);
  // Artifacts are content-addressed: the sha256 names the decoded image for good. The store checks the
  // file's size and hash before the first read.
  const image = await ctx.volumes.get(`artifact:${artifact.hash}`, async () => {
    const verified = store.verifyArtifact(runId, artifact.name);
    return readNifti(verified.path);
  });
  return wire(image, {
    id: volumeId,
    title: role ? `${role} prediction` : 'prediction',
    kind: 'labels',
    factors: fitFactors(image.dims, limits),
  });
}

/**
 * A validation sample's labels as the run was evaluated on them: the run's validation split at its
 * input size (ShapeNet: voxelised, 255 = empty), with the labels its metric averages over when the
 * task restricts them (a shape's category's parts). Sent whole: a voxel grid (64³ in the paper) is far
 * below any viewer limit.
 */
async function splitTruth(
  ctx: HostContext,
  rawConfig: unknown,
  sample: string,
  volumeId: string,
): Promise<Loaded> {
  const config = resolveConfig(rawConfig, `the run's config`);
  const inputSize = experimentInputSize(config);
  const val = await openEvaluationSplit(config, 'val', inputSize, ctx.folders.check(config.data));
  const index = val.indexOf?.(sample) ?? -1;
  if (index < 0)
    throw new ProtocolError(
      'not-found',
      `shape '${sample}' is not in the validation split of ${config.data}`,
    );
  const { evaluation } = taskModule(config.task);
  if (!evaluation.predictionVolume)
    throw new ProtocolError('not-available', `${config.task} runs have no label maps to show`);
  const shape = await val.get(index, 0);
  const { labels, dims, affine } = evaluation.predictionVolume(shape, shape.label, val.ignoreLabel);
  const category = shape.meta.category === undefined ? undefined : String(shape.meta.category);
  const encoded = encodeRuns(labels);
  return {
    header: {
      id: volumeId,
      title: category === undefined ? 'ground truth' : `ground truth (${category})`,
      kind: 'labels',
      dims,
      channels: ['ground truth'],
      dataType: 'uint8',
      affine,
      ranges: [[0, 255]],
      ...(evaluation.allowedLabels && {
        parts: { category: category ?? '', labels: [...evaluation.allowedLabels(shape)] },
      }),
      runs: encoded.runs,
    },
    payload: encoded.payload,
  };
}

/** The datasets whose samples' files the viewer can show ("BraTS'18"), for the message when a run's cannot. */
function datasetsWithFiles(): string {
  const names = TASK_NAMES.filter((t) => taskModule(t).volumes?.sampleFiles).map((t) => TASKS[t].dataset);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? 'no');
}

async function fromDataset(
  ctx: HostContext,
  data: unknown,
  volumes: TaskVolumes | undefined,
  sample: string,
  which: 'image' | 'truth',
  volumeId: string,
  channels: number[] | undefined,
  limits: ViewerLimits,
): Promise<Loaded> {
  if (!volumes?.sampleFiles || typeof data !== 'string') {
    throw new ProtocolError(
      'not-available',
      `showing the ${which} is available for ${datasetsWithFiles()} runs only`,
    );
  }
  const files = await volumes.sampleFiles(ctx.folders.check(data), sample);
  if (!files) throw new ProtocolError('not-found', `sample '${sample}' is not in ${data}`);
  if (which === 'truth') {
    const truth = await cachedNifti(ctx, files.truth);
    return wire(truth, {
      id: volumeId,
      title: 'ground truth',
      kind: 'labels',
      factors: fitFactors(truth.dims, limits),
    });
  }
  const all = files.channels.map((c) => c.name);
  for (const c of channels ?? []) {
    if (c >= all.length)
      throw new ProtocolError(
        'invalid-params',
        `channel ${c} does not exist: the image has ${all.length} (${all.map((m, i) => `${i} ${m}`).join(', ')})`,
      );
  }
  const chosen = (channels ?? all.map((_, c) => c)).map((c) => files.channels[c]);
  const names = chosen.map((c) => c.name);
  const modalities = await Promise.all(chosen.map((c) => cachedNifti(ctx, c.file)));
  const stacked = stackChannels(modalities);
  const volume = wire(stacked, {
    id: volumeId,
    title: files.title,
    kind: 'image',
    factors: fitFactors(stacked.dims, limits),
    channelNames: names,
  });
  if (names.length < all.length) volume.header.allChannels = [...all];
  return volume;
}

/** A dataset file through the cache, keyed by path, size and modification time (an edited file is read again). */
async function cachedNifti(ctx: HostContext, file: string): Promise<NiftiImage> {
  const info = await stat(file).catch(() => null);
  // A file that cannot be stat'ed is left to readNifti, whose error names it and says why.
  if (!info) return readNifti(file);
  return ctx.volumes.get(`file:${file}:${info.size}:${info.mtimeMs}`, () => readNifti(file));
}

/**
 * The modalities as one 4D image (channel after channel), as the viewer's multi-channel payload wants.
 * Integer modalities stay int16 when every one asked for fits it (half the bytes of float32 to send and hold).
 */
function stackChannels(images: NiftiImage[]): NiftiImage {
  const [first] = images;
  const int16 = images.every((image) => image.data instanceof Int16Array || image.data instanceof Uint8Array);
  // One modality of the payload's type is sent as decoded (and cached): no copy.
  if (images.length === 1 && first.data instanceof (int16 ? Int16Array : Float32Array)) return first;
  const voxels = first.dims.slice(0, 3).reduce((a, b) => a * b, 1);
  for (const image of images) {
    if (image.dims.slice(0, 3).join() !== first.dims.slice(0, 3).join()) {
      throw new ProtocolError(
        'failed',
        `${image.file}: grid ${image.dims.join('×')} differs from ${first.file} (${first.dims.join('×')})`,
      );
    }
  }
  const data = int16 ? new Int16Array(voxels * images.length) : new Float32Array(voxels * images.length);
  images.forEach((image, c) => data.set(image.data.subarray(0, voxels), c * voxels));
  return {
    ...first,
    dims: [...first.dims.slice(0, 3), images.length],
    data,
    scaled: images.some((i) => i.scaled),
  };
}
