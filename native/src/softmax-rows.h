// Row maximum, exp and sum for the softmax losses. std::exp one logit at a time made the
// cross-entropy of a 64³ × 50-class volume (13 M logits) the largest non-conv kernel of a pruned
// net's step, so exp is written as a loop GCC vectorizes (vectorize.h). It is computed in double
// (range reduction by ln 2 in two parts, Taylor polynomial of degree 13: error a few double ulps)
// and rounded to float32, which gives std::exp's float32 result except when exp lies within ~1e-16
// of a float32 rounding boundary, so training repeats the composed ops' losses (a float32 exp,
// within 1 ulp, drifted a 16³ demo's epoch-4 loss by 1.8e-3). The sum gives the composed ops'
// serial double sum (rowSum).
#pragma once

#include <cstdint>
#include <cstring>

#include "vectorize.h"

namespace ranp {

// out[j] = exp(x[j] − shift) for j < n, x[j] − shift rounded to float32 first (as tf.sub does).
// Arguments are clamped at −200, whose exp rounds to float32 0 as any below −103.98 does.
RANP_VECTOR_CLONES RANP_NO_TRAPS inline void expShifted(const float* __restrict x, float shift, float* __restrict out,
                                                       int64_t n) {
  for (int64_t j = 0; j < n; ++j) {
    const float v = x[j] - shift;
    const double a = v < -200.0f ? -200.0 : static_cast<double>(v);
    // Round a / ln 2 to the nearest integer k with the 1.5·2⁵² trick (no double→int conversion).
    const double t = a * 1.4426950408889634 + 6755399441055744.0;
    const double k = t - 6755399441055744.0;
    int64_t kBits;
    std::memcpy(&kBits, &t, sizeof kBits);
    const int64_t ki = kBits - 0x4338000000000000LL;
    const double r = (a - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
    double p = 1.0 / 6227020800.0;  // 1/13!
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    const double e = p * r * r + r + 1.0;
    const int64_t scaleBits = (ki + 1023) << 52;
    double scale;
    std::memcpy(&scale, &scaleBits, sizeof scale);
    out[j] = static_cast<float>(e * scale);
  }
}

// Lanes of the max below: independent chains the compiler keeps in one vector register,
// combined in lane order, so a row's result is fixed for a given row length.
constexpr int kLanes = 8;

// The row's maximum; NaN only when x[0] is NaN, as a serial `x[j] > m ? x[j] : m` scan gives.
RANP_VECTOR_CLONES inline float rowMax(const float* x, int64_t n) {
  float lane[kLanes];
  for (int l = 0; l < kLanes; ++l) lane[l] = x[0];
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (int l = 0; l < kLanes; ++l) lane[l] = x[j + l] > lane[l] ? x[j + l] : lane[l];
  float m = x[0];
  for (int l = 0; l < kLanes; ++l) m = lane[l] > m ? lane[l] : m;
  for (; j < n; ++j) m = x[j] > m ? x[j] : m;
  return m;
}

// x[j] ← (x[j] / total) · w, each operation rounded to float32 (the softmax's division, then the
// loss weight; w = 1 leaves the quotient unchanged).
RANP_VECTOR_CLONES inline void divideScale(float* x, float total, float w, int64_t n) {
  for (int64_t j = 0; j < n; ++j) x[j] = (x[j] / total) * w;
}

// Σ x[j] accumulated in double, in order (a different order changes the float32 total's rounding).
// When n < 128 and every x[j] lies in [2⁻²³, 1] — exp(x − max) of most softmax rows — each term is
// a multiple of 2⁻⁴⁶ and each partial sum one below 2⁷, exact in double: any order gives the serial
// sum, so lanes the compiler vectorizes add it. Otherwise (a term below 2⁻²³, NaN) the serial loop.
RANP_VECTOR_CLONES RANP_NO_TRAPS inline double rowSum(const float* x, int64_t n) {
  bool exact = n < 128;
  for (int64_t j = 0; j < n; ++j) exact &= (x[j] >= 0x1p-23f) & (x[j] <= 1.0f);
  double s = 0;
  if (exact) {
    double lane[kLanes] = {};
    int64_t j = 0;
    for (; j + kLanes <= n; j += kLanes)
      for (int l = 0; l < kLanes; ++l) lane[l] += x[j + l];
    for (; j < n; ++j) s += x[j];
    for (int l = 0; l < kLanes; ++l) s += lane[l];
    return s;
  }
  for (int64_t j = 0; j < n; ++j) s += x[j];
  return s;
}

}  // namespace ranp
