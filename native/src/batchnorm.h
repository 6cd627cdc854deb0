// Training batch norm (batch statistics per channel) with an optional fused ReLU, over tfjs's
// channels-last float32 volumes viewed as [rows, channels]: forward and backward in two passes each
// instead of the composed ops' 5 forward and 8 backward volume passes
// (engine/backend/fused-batch-norm.ts).
#pragma once

#include <napi.h>

namespace ranp {

// batchNormForward(x, gamma, beta, y, mean, variance, invStd, eps, relu): batch mean and biased
// variance per channel, invStd = 1/√(variance + eps), y = (x − mean)·invStd·γ + β, then max(0, y)
// when `relu`.
Napi::Value BatchNormForward(const Napi::CallbackInfo& info);
// batchNormBackward(x, dy, mean, invStd, gamma, beta, dx, dgamma, dbeta, relu): the gradients of
// batchNormForward by x, γ and β; with `relu`, dy is first masked where the forward's y ≤ 0
// (recomputed from x with the same float32 operations, so the mask is the forward's exactly).
Napi::Value BatchNormBackward(const Napi::CallbackInfo& info);

}  // namespace ranp
