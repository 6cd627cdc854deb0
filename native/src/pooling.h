// 3D max pooling and its input gradient over tfjs's NDHWC float32 buffers
// (engine/backend/kernels/max-pool3d.ts, max-pool3d-grad.ts).
#pragma once

#include <napi.h>

namespace ranp {

// maxPool3dBackward(input, dy, dx, sizes, starts, ends): sizes = [batch, channels, inD, inH, inW,
// outD, outH, outW]; starts/ends hold each output index's clipped window (first and one-past-last
// input index) for depth, then height, then width (outD + outH + outW values each). Per output
// position and channel the argmax is recomputed as tfjs's MaxPool3DGrad does (>=, scanning depth,
// height, width ascending: the last maximum wins; NaN never wins) and dy is added to dx there.
// Every dx value is written (dx needs no zero fill). Sums run in double in output order and round
// once, as tfjs's.
Napi::Value MaxPool3dBackward(const Napi::CallbackInfo& info);

// maxPool3dForward(input, out, sizes, starts, ends), sizes/starts/ends as above: out holds each
// window's maximum per channel as tfjs's MaxPool3D computes it (from −∞, strict >: NaN never wins).
Napi::Value MaxPool3dForward(const Napi::CallbackInfo& info);

}  // namespace ranp
