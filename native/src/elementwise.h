// Element-wise float32 binary ops and block sums over tfjs's cpu buffers (no oneDNN: plain
// vectorizable loops, OpenMP-parallel over both operands' memory).
#pragma once

#include <napi.h>

namespace ranp {

// elementwiseBinary(op, a, b, out, aRun, bRun): out[i] = op(a[(i / aRun) % a.length], b[(i / bRun) % b.length]).
Napi::Value ElementwiseBinary(const Napi::CallbackInfo& info);
// elementwiseUnary(op, x, out, parameter): out[i] = op(x[i]); parameter is Step's alpha, else unused.
Napi::Value ElementwiseUnary(const Napi::CallbackInfo& info);
// sumBlock(x, out, outer, inner): x viewed as [outer, reduce, inner]; out[o, c] = Σ_r x[o, r, c].
Napi::Value SumBlock(const Napi::CallbackInfo& info);

}  // namespace ranp
