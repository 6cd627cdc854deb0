// Fused optimizer updates of one weight (engine/backend/kernels/sgd-update.ts, adam-update.ts).
#pragma once

#include <napi.h>

namespace ranp {

// sgdUpdate(p, g, previous | null, out, buffer | null, weightDecay, momentum, keep, lr, nesterov):
// d = g + wd·p (wd ≠ 0); buffer = m·previous + keep·d (= d without previous); d = d + m·buffer
// (Nesterov) or buffer (momentum ≠ 0); out = p − lr·d. buffer is null when momentum is 0.
Napi::Value SgdUpdate(const Napi::CallbackInfo& info);
// adamUpdate(p, g, m0 | null, v0 | null, out, m, v, weightDecay, beta1, beta2, keep1, keep2, eps,
// stepSize, secondCorrection): g += wd·p; m = β1·m0 + keep1·g; v = β2·v0 + keep2·g²;
// out = p − stepSize · m / (√v / secondCorrection + eps); absent m0, v0 are zeros.
Napi::Value AdamUpdate(const Napi::CallbackInfo& info);

}  // namespace ranp
