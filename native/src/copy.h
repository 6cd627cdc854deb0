// Data movement over tfjs's float32 buffers: strided box copies (concat, split, slice, pad) and run
// gathers (nearest upsampling) as memcpy runs, instead of one typed-array call per run in
// TypeScript (engine/backend/kernels/box-copy.ts, gather-v2.ts), which costs more than the copy
// itself for the short channel runs of thin (pruned) layers.
#pragma once

#include <napi.h>

namespace ranp {

// copyStrided(src, dst, srcOffset, dstOffset, extents, srcStrides, dstStrides): for every index
// (i1..ik) of extents[1..], copies extents[0] contiguous values from src[srcOffset + Σ i_a·srcStrides[a]]
// to dst[dstOffset + Σ i_a·dstStrides[a]] (strides[0] is unused: runs are contiguous).
Napi::Value CopyStrided(const Napi::CallbackInfo& info);
// gatherRuns(src, dst, outer, dim, inner, indices): src viewed as [outer, dim, inner];
// dst[o, i, :] = src[o, indices[i], :].
Napi::Value GatherRuns(const Napi::CallbackInfo& info);
// blockSums(dy, dx, n, d, h, w, c, kd, kh, kw): the gradient of nearest upsampling by integer factors,
// dy [n, d·kd, h·kh, w·kw, c] → dx [n, d, h, w, c], each dx value the sum of its kd×kh×kw block in
// depth-height-width order, accumulated in double and rounded once (what tfjs's AvgPool3D sums
// before it divides); OpenMP over the dx rows (n·d·h).
Napi::Value BlockSums(const Napi::CallbackInfo& info);

}  // namespace ranp
