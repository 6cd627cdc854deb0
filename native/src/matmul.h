// Batched float32 matrix products over tfjs's row-major buffers, on oneDNN's sgemm.
#pragma once

#include <napi.h>

namespace ranp {

// batchMatMul(a, b, out, {batch, m, n, k, transposeA, transposeB, aBatches, bBatches}):
// out[i] = op(a[i % aBatches]) · op(b[i % bBatches]) for i < batch, each [m, n]; aBatches and
// bBatches are batch or 1 (a single matrix broadcast over the batch).
Napi::Value BatchMatMul(const Napi::CallbackInfo& info);

}  // namespace ranp
