// Fused softmax losses over [rows, classes] logits: the value and the gradient with respect to the
// logits in one call, without the per-class one-hot and probability volumes the composed tf ops
// allocate. Labels equal to `ignoreLabel` do not count.
#pragma once

#include <napi.h>

namespace ranp {

// softmaxCrossEntropy(logits, labels, gradient, classes, ignoreLabel) → mean cross-entropy over the
// counted rows (0 when none count); gradient = (softmax − one-hot) · valid / count.
Napi::Value SoftmaxCrossEntropy(const Napi::CallbackInfo& info);
// softDice(logits, labels, gradient, classes, ignoreLabel, smooth) → Σ over classes 1..C−1 of
// 1 − (2 Σ p_c g_c + smooth) / (Σ p_c + Σ g_c + smooth); gradient its derivative by the logits.
Napi::Value SoftDice(const Napi::CallbackInfo& info);

}  // namespace ranp
