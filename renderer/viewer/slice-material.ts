import { DataTexture, Matrix4, NearestFilter, RGBAFormat, ShaderMaterial, Vector2, Vector3 } from 'three';
import type { Vec3 } from './affine.js';
import type { VolumeTexture } from './volume-texture.js';

const vertexShader = /* glsl */ `
  varying vec3 vWorld;
  void main() {
    vec4 world = modelMatrix * vec4(position, 1.0);
    vWorld = world.xyz;
    gl_Position = projectionMatrix * viewMatrix * world;
  }
`;

// Samples by world position, so the NIfTI affine (flips, permutations, obliques) decides what is shown
// where, never the voxel order in memory.
const fragmentShader = /* glsl */ `
  precision highp float;
  precision highp sampler3D;
  uniform sampler3D uImage;
  uniform mat4 uImageWorldToVoxel;
  uniform vec3 uImageDims;
  uniform vec2 uWindow;
  uniform bool uHasLabels;
  uniform sampler3D uLabels;
  uniform mat4 uLabelWorldToVoxel;
  uniform vec3 uLabelDims;
  uniform sampler2D uLut;
  uniform bool uOutline;
  uniform vec3 uStepRight;
  uniform vec3 uStepUp;
  varying vec3 vWorld;

  bool inside(vec3 voxel, vec3 dims) {
    return all(greaterThanEqual(voxel, vec3(-0.5))) && all(lessThan(voxel, dims - 0.5));
  }

  float labelAt(vec3 world) {
    vec3 voxel = (uLabelWorldToVoxel * vec4(world, 1.0)).xyz;
    if (!inside(voxel, uLabelDims)) return 0.0;
    return floor(texture(uLabels, (voxel + 0.5) / uLabelDims).r * 255.0 + 0.5);
  }

  void main() {
    vec3 voxel = (uImageWorldToVoxel * vec4(vWorld, 1.0)).xyz;
    if (!inside(voxel, uImageDims)) discard;
    float value = texture(uImage, (voxel + 0.5) / uImageDims).r;
    float grey = clamp((value - uWindow.x) / max(uWindow.y - uWindow.x, 1e-6), 0.0, 1.0);
    vec3 colour = vec3(grey);
    if (uHasLabels) {
      float label = labelAt(vWorld);
      vec4 entry = texture(uLut, vec2((label + 0.5) / 256.0, 0.5));
      if (uOutline && entry.a > 0.0) {
        // Keep only voxels with a differently labelled in-plane neighbour (the label's outline).
        bool edge = labelAt(vWorld + uStepRight) != label || labelAt(vWorld - uStepRight) != label
          || labelAt(vWorld + uStepUp) != label || labelAt(vWorld - uStepUp) != label;
        if (!edge) entry.a = 0.0;
      }
      colour = mix(colour, entry.rgb, entry.a);
    }
    gl_FragColor = vec4(colour, 1.0);
  }
`;

/** Grey image with a label overlay for one slice plane; all panels share the image texture. */
export class SliceMaterial extends ShaderMaterial {
  constructor() {
    super({
      vertexShader,
      fragmentShader,
      uniforms: {
        uImage: { value: null },
        uImageWorldToVoxel: { value: new Matrix4() },
        uImageDims: { value: new Vector3(1, 1, 1) },
        uWindow: { value: new Vector2(0, 1) },
        uHasLabels: { value: false },
        uLabels: { value: null },
        uLabelWorldToVoxel: { value: new Matrix4() },
        uLabelDims: { value: new Vector3(1, 1, 1) },
        uLut: { value: null },
        uOutline: { value: false },
        uStepRight: { value: new Vector3() },
        uStepUp: { value: new Vector3() },
      },
    });
  }

  setImage(image: VolumeTexture): void {
    this.uniforms.uImage.value = image.texture;
    this.uniforms.uImageWorldToVoxel.value = image.worldToVoxel;
    this.uniforms.uImageDims.value = image.dims;
  }

  setWindow(low: number, high: number): void {
    (this.uniforms.uWindow.value as Vector2).set(low, high);
  }

  setLabels(labels: VolumeTexture | null, lut: DataTexture): void {
    this.uniforms.uHasLabels.value = labels !== null;
    this.uniforms.uLabels.value = labels?.texture ?? null;
    if (labels) {
      this.uniforms.uLabelWorldToVoxel.value = labels.worldToVoxel;
      this.uniforms.uLabelDims.value = labels.dims;
    }
    this.uniforms.uLut.value = lut;
  }

  /** Outline mode compares each voxel with its in-plane neighbours one voxel step away (world mm). */
  setOutline(outline: boolean, stepRight: Vec3, stepUp: Vec3): void {
    this.uniforms.uOutline.value = outline;
    (this.uniforms.uStepRight.value as Vector3).fromArray(stepRight);
    (this.uniforms.uStepUp.value as Vector3).fromArray(stepUp);
  }
}

/** The 256-entry RGBA lookup (colour-table.ts colourLookup) as a texture the shader indexes by label. */
export function lookupTexture(lut: Uint8Array): DataTexture {
  if (lut.length !== 256 * 4)
    throw new Error(`lookupTexture: expected 1024 bytes (256 RGBA entries), got ${lut.length}`);
  const texture = new DataTexture(lut, 256, 1, RGBAFormat);
  texture.minFilter = texture.magFilter = NearestFilter;
  texture.needsUpdate = true;
  return texture;
}
