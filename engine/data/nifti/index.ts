export { readNifti, parseNifti, headerAffine, type NiftiHeader, type NiftiImage } from './read.js';
export { writeNifti, writeLabelMap, encodeNifti, type NiftiGrid, type WritableVoxels } from './write.js';
export { niftiToVolume, type VolumeMessage, type ToVolumeOptions } from './volume.js';
export * from './affine.js';
export { niftiDatatypes, type VoxelArray } from './datatypes.js';
