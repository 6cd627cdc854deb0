// Fused SGD and Adam updates: one pass over a weight instead of the JS loop over its elements
// (the weights of a full-width ShapeNet U-Net took 148 ms of its 32³ b2 step there). Every operation is a float32
// operation rounded once, the values Math.fround gives in the kernels' JS formulas and the composed
// tf ops give, so weights stay bit for bit the same; element-wise, so any thread split is too.
#include "optimizers.h"

#include "arguments.h"
#include "parallel.h"
#include "vectorize.h"

#include <omp.h>

#include <cmath>
#include <cstdint>
#include <string>

namespace ranp {
namespace {

// Below this many weights one core keeps up with memory and a parallel region only adds waiting.
constexpr int64_t kParallelMin = 1 << 18;

struct SgdSettings {
  float weightDecay, momentum, keep, lr;
  bool nesterov;
};

RANP_VECTOR_CLONES RANP_NO_TRAPS void sgdRange(const float* __restrict p, const float* __restrict g,
                                               const float* __restrict previous, float* __restrict out,
                                               float* __restrict buffer, SgdSettings s, int64_t from, int64_t to) {
  for (int64_t i = from; i < to; ++i) {
    float d = s.weightDecay != 0 ? g[i] + p[i] * s.weightDecay : g[i];
    if (buffer) {
      const float b = previous ? previous[i] * s.momentum + d * s.keep : d;
      buffer[i] = b;
      d = s.nesterov ? d + b * s.momentum : b;
    }
    out[i] = p[i] - d * s.lr;
  }
}

struct AdamSettings {
  float weightDecay, beta1, beta2, keep1, keep2, eps, stepSize, secondCorrection;
};

RANP_VECTOR_CLONES RANP_NO_TRAPS void adamRange(const float* __restrict p, const float* __restrict grad,
                                                const float* __restrict m0, const float* __restrict v0,
                                                float* __restrict out, float* __restrict m, float* __restrict v,
                                                AdamSettings s, int64_t from, int64_t to) {
  for (int64_t i = from; i < to; ++i) {
    const float g = s.weightDecay != 0 ? grad[i] + p[i] * s.weightDecay : grad[i];
    m[i] = (m0 ? m0[i] : 0.0f) * s.beta1 + g * s.keep1;
    v[i] = (v0 ? v0[i] : 0.0f) * s.beta2 + (g * g) * s.keep2;
    const float denominator = std::sqrt(v[i]) / s.secondCorrection + s.eps;
    out[i] = p[i] - (m[i] / denominator) * s.stepSize;
  }
}

// run(from, to) over [0, n), one contiguous range per thread from kParallelMin weights.
template <class Run>
void forRanges(int64_t n, Run run) {
  forRowRanges(n, n >= kParallelMin ? omp_get_max_threads() : 1, [&](int, int64_t from, int64_t to) { run(from, to); });
}

// The Float32Array argument `index` holding `n` values, or nullptr where `nullable` and it is null.
float* weightArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name, size_t n,
                 bool nullable) {
  if (nullable && info[index].IsNull()) return nullptr;
  Napi::Float32Array a = float32Arg(info, index, fn, name);
  if (a.ElementLength() != n)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": '" + name + "' holds " +
                                                std::to_string(a.ElementLength()) + " values, the weight " +
                                                std::to_string(n));
  return a.Data();
}

float floatArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name) {
  return static_cast<float>(numberArg(info, index, fn, name));
}

}  // namespace

Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  const char* fn = "sgdUpdate";
  if (info.Length() != 10) throw Napi::TypeError::New(info.Env(), std::string(fn) + " takes 10 arguments");
  const size_t n = float32Arg(info, 0, fn, "p").ElementLength();
  const float* p = weightArg(info, 0, fn, "p", n, false);
  const float* g = weightArg(info, 1, fn, "g", n, false);
  const float* previous = weightArg(info, 2, fn, "previous", n, true);
  float* out = weightArg(info, 3, fn, "out", n, false);
  float* buffer = weightArg(info, 4, fn, "buffer", n, true);
  const SgdSettings s{floatArg(info, 5, fn, "weightDecay"), floatArg(info, 6, fn, "momentum"),
                      floatArg(info, 7, fn, "keep"), floatArg(info, 8, fn, "lr"), info[9].ToBoolean().Value()};
  forRanges(static_cast<int64_t>(n),
            [&](int64_t from, int64_t to) { sgdRange(p, g, previous, out, buffer, s, from, to); });
  return info.Env().Undefined();
}

Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  const char* fn = "adamUpdate";
  if (info.Length() != 15) throw Napi::TypeError::New(info.Env(), std::string(fn) + " takes 15 arguments");
  const size_t n = float32Arg(info, 0, fn, "p").ElementLength();
  const float* p = weightArg(info, 0, fn, "p", n, false);
  const float* g = weightArg(info, 1, fn, "g", n, false);
  const float* m0 = weightArg(info, 2, fn, "m0", n, true);
  const float* v0 = weightArg(info, 3, fn, "v0", n, true);
  float* out = weightArg(info, 4, fn, "out", n, false);
  float* m = weightArg(info, 5, fn, "m", n, false);
  float* v = weightArg(info, 6, fn, "v", n, false);
  const AdamSettings s{floatArg(info, 7, fn, "weightDecay"), floatArg(info, 8, fn, "beta1"),
                       floatArg(info, 9, fn, "beta2"),       floatArg(info, 10, fn, "keep1"),
                       floatArg(info, 11, fn, "keep2"),      floatArg(info, 12, fn, "eps"),
                       floatArg(info, 13, fn, "stepSize"),   floatArg(info, 14, fn, "secondCorrection")};
  forRanges(static_cast<int64_t>(n),
            [&](int64_t from, int64_t to) { adamRange(p, g, m0, v0, out, m, v, s, from, to); });
  return info.Env().Undefined();
}

}  // namespace ranp
