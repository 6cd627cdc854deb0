import { findBratsSubjects, BRATS_MODALITIES } from '../../data/brats/index.js';
import { detectBratsRoot } from '../../data/brats/layout.js';
import { niftiToVolume, readNifti, type NiftiImage } from '../../data/index.js';
import { parseNifti } from '../../data/nifti/read.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { VolumeHeader } from '../../protocol/volume.js';
import type { Store } from '../../store/index.js';
import type { Handler, HostContext } from '../context.js';

/**
 * Volumes are sent at full resolution: the viewer fits them to the GPU's 3D texture limit itself and says
 * so on screen. Only beyond this many voxels per channel (512³: 0.5 GiB of float32) does the engine stride
 * them, to bound the payload; the header's `downsampled` then names the factor and the viewer shows it.
 */
const MAX_VIEWER_VOXELS = 512 ** 3;

type Loaded = { header: VolumeHeader; payload: ArrayBuffer };

/**
 * A run's stored prediction, or the input image / ground truth of that sample read from the run's
 * dataset folder (BraTS layout), as header + voxels for the 3D viewer.
 */
export const getVolume: Handler<'volume.get'> = async ({ runId, sample, which }, ctx) => {
  const store = ctx.store();
  const id = Number(runId);
  const run = Number.isSafeInteger(id) ? store.listRuns().find((r) => r.id === id) : undefined;
  if (!run) throw new ProtocolError('not-found', `no run with id '${runId}'`);
  const volumeId = `${runId}/${sample}/${which}`;
  const loaded =
    which === 'prediction'
      ? prediction(store, id, sample, volumeId, run.role)
      : await fromDataset(ctx, run.config.data, run.dataset, sample, which, volumeId);
  return { result: loaded.header, payload: new Uint8Array(loaded.payload) };
};

function prediction(
  store: Store,
  runId: number,
  sample: string,
  volumeId: string,
  role: string | null,
): Loaded {
  const artifact = store
    .listArtifacts(runId)
    .find((a) => a.kind === 'prediction' && a.name.replace(/\.nii(\.gz)?$/, '') === sample);
  if (!artifact) throw new ProtocolError('not-found', `run ${runId} has no prediction for '${sample}'`);
  const image = parseNifti(new Uint8Array(store.readArtifact(runId, artifact.name)), artifact.name);
  return niftiToVolume(image, {
    id: volumeId,
    title: role ? `${role} prediction` : 'prediction',
    kind: 'labels',
    maxVoxels: MAX_VIEWER_VOXELS,
  });
}

async function fromDataset(
  ctx: HostContext,
  data: unknown,
  task: string | null,
  sample: string,
  which: 'image' | 'truth',
  volumeId: string,
): Promise<Loaded> {
  if (task !== 'brats' || typeof data !== 'string') {
    throw new ProtocolError('not-available', `showing the ${which} is available for BraTS runs only`);
  }
  const root = await detectBratsRoot(ctx.folders.check(data));
  const subject = root ? (await findBratsSubjects(root)).find((s) => s.id === sample) : undefined;
  if (!subject) throw new ProtocolError('not-found', `subject '${sample}' is not in ${data}`);
  if (which === 'truth') {
    return niftiToVolume(await readNifti(subject.files.seg), {
      id: volumeId,
      title: 'ground truth',
      kind: 'labels',
      maxVoxels: MAX_VIEWER_VOXELS,
    });
  }
  const modalities = await Promise.all(BRATS_MODALITIES.map((m) => readNifti(subject.files[m])));
  return niftiToVolume(stackChannels(modalities), {
    id: volumeId,
    title: 'MRI',
    kind: 'image',
    maxVoxels: MAX_VIEWER_VOXELS,
    channelNames: [...BRATS_MODALITIES],
  });
}

/**
 * The modalities as one 4D image (channel after channel), as the viewer's multi-channel payload wants.
 * Integer modalities stay int16 when every one fits it (half the bytes of float32 to send and hold).
 */
function stackChannels(images: NiftiImage[]): NiftiImage {
  const [first] = images;
  const voxels = first.dims.slice(0, 3).reduce((a, b) => a * b, 1);
  for (const image of images) {
    if (image.dims.slice(0, 3).join() !== first.dims.slice(0, 3).join()) {
      throw new ProtocolError(
        'failed',
        `${image.file}: grid ${image.dims.join('×')} differs from ${first.file} (${first.dims.join('×')})`,
      );
    }
  }
  const int16 = images.every((image) => image.data instanceof Int16Array || image.data instanceof Uint8Array);
  const data = int16 ? new Int16Array(voxels * images.length) : new Float32Array(voxels * images.length);
  images.forEach((image, c) => data.set(image.data.subarray(0, voxels), c * voxels));
  return {
    ...first,
    dims: [...first.dims.slice(0, 3), images.length],
    data,
    scaled: images.some((i) => i.scaled),
  };
}
