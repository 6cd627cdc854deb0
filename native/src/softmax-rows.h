// Row maximum, exp and sum for the softmax losses, written so their loops vectorize: std::exp in
// double (~15 ns per logit) and serial max/sum chains made the cross-entropy of a 64³ × 50-class
// volume (13 M logits) the largest non-conv kernel of a pruned net's step. The exp is Cephes's expf (range reduction by ln 2 in two parts, a degree-7
// polynomial; within 1 float32 ulp of exp computed in double over [−87.33, 0], checked on 2²⁴
// points), written so the loop vectorizes, compiled for AVX-512, AVX2 and the baseline and picked
// at load time where GCC can.
#pragma once

#include <cstdint>
#include <cstring>

namespace ranp {

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define RANP_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define RANP_VECTOR_CLONES
#endif

// out[j] = exp(x[j] − shift) for j < n. Arguments below −87.33 (exp under float32's normal range)
// give 0; the softmax losses call it with x ≤ shift (the row maximum), so nothing overflows.
RANP_VECTOR_CLONES inline void expShifted(const float* x, float shift, float* out, int64_t n) {
  for (int64_t j = 0; j < n; ++j) {
    const float v = x[j] - shift;
    const float a = v < -87.33f ? -87.33f : v;
    // Round a / ln 2 to the nearest integer k with the 1.5·2²³ trick (no float→int conversion).
    const float t = a * 1.44269504088896341f + 12582912.0f;
    const float k = t - 12582912.0f;
    int32_t kBits;
    std::memcpy(&kBits, &t, sizeof kBits);
    const int32_t ki = kBits - 0x4B400000;
    const float r = (a - k * 0.693359375f) - k * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float e = p * r * r + r + 1.0f;
    const int32_t scaleBits = (ki + 127) << 23;
    float scale;
    std::memcpy(&scale, &scaleBits, sizeof scale);
    out[j] = v < -87.33f ? 0.0f : e * scale;
  }
}

// Lanes of the max and sum below: independent chains the compiler keeps in one vector register,
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

// Σ x[j] accumulated in double.
RANP_VECTOR_CLONES inline double rowSum(const float* x, int64_t n) {
  double lane[kLanes] = {};
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (int l = 0; l < kLanes; ++l) lane[l] += x[j + l];
  double s = 0;
  for (int l = 0; l < kLanes; ++l) s += lane[l];
  for (; j < n; ++j) s += x[j];
  return s;
}

}  // namespace ranp
