import { niftiToVolume } from '../../data/index.js';
import { parseNifti } from '../../data/nifti/read.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Handler } from '../context.js';

/** Volumes larger than this are downsampled for the viewer (the header says by how much). */
const MAX_VIEWER_VOXELS = 192 ** 3;

/** A stored prediction of a run as a label volume for the 3D viewer. */
export const getVolume: Handler<'volume.get'> = async ({ runId, sample, which }, ctx) => {
  if (which !== 'prediction')
    throw new ProtocolError(
      'not-available',
      `loading the ${which} volume is not available in this engine build yet`,
    );
  const store = ctx.store();
  const id = Number(runId);
  const artifact = Number.isSafeInteger(id)
    ? store
        .listArtifacts(id)
        .find((a) => a.kind === 'prediction' && a.name.replace(/\.nii(\.gz)?$/, '') === sample)
    : undefined;
  if (!artifact) throw new ProtocolError('not-found', `run ${runId} has no prediction for '${sample}'`);
  const image = parseNifti(new Uint8Array(store.readArtifact(id, artifact.name)), artifact.name);
  const { header, payload } = niftiToVolume(image, {
    id: `${runId}/${sample}/prediction`,
    title: 'prediction',
    kind: 'labels',
    maxVoxels: MAX_VIEWER_VOXELS,
  });
  return { result: header, payload: new Uint8Array(payload) };
};
