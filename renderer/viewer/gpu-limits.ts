import { VIEWER_VOXEL_BUDGET, type ViewerLimits } from '../../engine/protocol/index.js';

let limits: ViewerLimits | undefined;

/**
 * The viewer's limits for volume.get: this GPU's WebGL2 MAX_3D_TEXTURE_SIZE, read once from a context
 * made for it and released at once (the viewer's own context exists only after the volumes arrive), and
 * the stated voxel budget.
 */
export function viewerLimits(): ViewerLimits {
  if (!limits) {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl)
      throw new Error(
        'the segmentation viewer needs WebGL2, which this browser does not offer (check that hardware acceleration is on)',
      );
    limits = limitsOf(gl);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
  return limits;
}

/** The limits a WebGL2 context allows: its MAX_3D_TEXTURE_SIZE (or `maxTextureSize` if smaller) and the voxel budget. */
export function limitsOf(gl: WebGL2RenderingContext, maxTextureSize = Infinity): ViewerLimits {
  return {
    maxTextureSize: Math.min(gl.getParameter(gl.MAX_3D_TEXTURE_SIZE) as number, maxTextureSize),
    maxVoxels: VIEWER_VOXEL_BUDGET,
  };
}
