#pragma once

#include <napi.h>

namespace ranp {

// conv3dForward(x, filter, y, geometry): y = conv3d(x, filter).
Napi::Value Conv3dForward(const Napi::CallbackInfo& info);
// conv3dBackwardInput(dy, filter, dx, geometry): dx = gradient of the loss w.r.t. x.
Napi::Value Conv3dBackwardInput(const Napi::CallbackInfo& info);
// conv3dBackwardFilter(x, dy, dFilter, geometry): dFilter = gradient w.r.t. the filter, summed over the batch.
Napi::Value Conv3dBackwardFilter(const Napi::CallbackInfo& info);

}  // namespace ranp
