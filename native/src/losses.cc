// Rows are independent, so both losses split them between threads in fixed contiguous ranges and
// combine per-thread partial sums in thread order (parallel.h): a run repeats bit for bit at a given
// thread count. Rounding follows the composed tf ops (engine/train/losses): float32 after every operation,
// sums accumulated in double, exp and log in double rounded once, as tfjs's JS kernels compute them
// (exp: softmax-rows.h).
#include "losses.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "arguments.h"
#include "softmax-rows.h"
#include "parallel.h"

namespace ranp {
namespace {

// Below this many logits one core keeps up and a parallel region only adds waiting.
constexpr int64_t kParallelMin = 1 << 16;

struct LossArgs {
  const float* logits;
  const int32_t* labels;
  float* gradient;
  int64_t rows;
  int64_t classes;
  int32_t ignoreLabel;
};

LossArgs parseLossArgs(const Napi::CallbackInfo& info, const char* fn, size_t count) {
  Napi::Env env = info.Env();
  if (info.Length() != count)
    throw Napi::TypeError::New(env, std::string(fn) + " expects " + std::to_string(count) + " arguments");
  Napi::Float32Array logits = float32Arg(info, 0, fn, "logits");
  Napi::Int32Array labels = int32Arg(info, 1, fn, "labels");
  Napi::Float32Array gradient = float32Arg(info, 2, fn, "gradient");
  const int64_t classes = positiveIntArg(info, 3, fn, "classes");
  const double ignore = numberArg(info, 4, fn, "ignoreLabel");
  const int64_t rows = static_cast<int64_t>(labels.ElementLength());
  if (static_cast<int64_t>(logits.ElementLength()) != rows * classes ||
      gradient.ElementLength() != logits.ElementLength())
    throw Napi::RangeError::New(env, std::string(fn) + ": logits (" + std::to_string(logits.ElementLength()) +
                                         " values) and gradient (" + std::to_string(gradient.ElementLength()) +
                                         ") must hold labels (" + std::to_string(rows) + ") × classes (" +
                                         std::to_string(classes) + ") values");
  const int32_t ignoreLabel = static_cast<int32_t>(ignore);
  for (int64_t r = 0; r < rows; ++r) {
    const int32_t y = labels.Data()[r];
    if (y != ignoreLabel && (y < 0 || y >= classes))
      throw Napi::RangeError::New(env, std::string(fn) + ": label " + std::to_string(y) + " at index " +
                                           std::to_string(r) + " is outside [0, " + std::to_string(classes) +
                                           ") and not the ignore label " + std::to_string(ignoreLabel));
  }
  return {logits.Data(), labels.Data(), gradient.Data(), rows, classes, ignoreLabel};
}

// p[j] = softmax(row)[j]: exp(x − max) / Σ exp(x − max), as tf.softmax computes it.
void softmaxRow(const float* row, int64_t classes, float* p) {
  expShifted(row, rowMax(row, classes), p, classes);
  divideScale(p, static_cast<float>(rowSum(p, classes)), 1.0f, classes);
}

int threadsFor(const LossArgs& a) { return a.rows * a.classes >= kParallelMin ? omp_get_max_threads() : 1; }

}  // namespace

Napi::Value SoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  const LossArgs a = parseLossArgs(info, "softmaxCrossEntropy", 5);
  int64_t counted = 0;
  for (int64_t r = 0; r < a.rows; ++r) counted += a.labels[r] != a.ignoreLabel;
  const float count = counted > 0 ? static_cast<float>(counted) : 1.0f;
  const float weight = 1.0f / count;
  const int threads = threadsFor(a);
  Partials picked(threads, 1);
  forRowRanges(a.rows, threads, [&](int t, int64_t from, int64_t to) {
    double sum = 0;
    for (int64_t r = from; r < to; ++r) {
      const float* row = a.logits + r * a.classes;
      float* g = a.gradient + r * a.classes;
      const bool valid = a.labels[r] != a.ignoreLabel;
      const int64_t y = valid ? a.labels[r] : 0;
      const float w = valid ? weight : 0.0f;
      // One exp per logit (the softmax reuses exp(x − max), kept in g) instead of two: the
      // gradient differs from exp(log-softmax) by float32 rounding only.
      const float max = rowMax(row, a.classes);
      expShifted(row, max, g, a.classes);
      const float total = static_cast<float>(rowSum(g, a.classes));
      const float logSum = static_cast<float>(std::log(static_cast<double>(total)));
      if (valid) sum += (row[y] - max) - logSum;
      // g = p·w − w·[j = y]; subtracting 0 off the label changes no value, so only g[y] is touched.
      divideScale(g, total, w, a.classes);
      g[y] = g[y] - w;
    }
    *picked.of(t) = sum;
  });
  return Napi::Number::New(info.Env(), -static_cast<float>(picked.total(0, threads)) / count);
}

Napi::Value SoftDice(const Napi::CallbackInfo& info) {
  const LossArgs a = parseLossArgs(info, "softDice", 6);
  const float smooth = static_cast<float>(numberArg(info, 5, "softDice", "smooth"));
  const int64_t C = a.classes;
  const int threads = threadsFor(a);
  // Per class: predicted Σ v p_c, intersection Σ v p_c [y = c], truth Σ v [y = c].
  Partials sums(threads, 3 * C);
  // Pass 1 leaves each counted row's softmax in the gradient buffer, where pass 2 turns it into
  // the gradient (one softmax per row instead of two).
  forRowRanges(a.rows, threads, [&](int t, int64_t from, int64_t to) {
    // Thread-local sums, copied out once: neighbouring threads' partials share cache lines.
    std::vector<double> local(static_cast<size_t>(3 * C), 0.0);
    double* s = local.data();
    for (int64_t r = from; r < to; ++r) {
      if (a.labels[r] == a.ignoreLabel) continue;
      const int64_t y = a.labels[r];
      float* pr = a.gradient + r * C;
      softmaxRow(a.logits + r * C, C, pr);
      for (int64_t j = 0; j < C; ++j) s[j] += pr[j];
      s[C + y] += pr[y];
      s[2 * C + y] += 1;
    }
    std::copy(local.begin(), local.end(), sums.of(t));
  });
  // a_c = 2 / den_c, b_c = (2 I_c + ε) / den_c², 0 for the background (engine/train/losses/cross-entropy-dice.ts).
  std::vector<float> coefA(C, 0.0f), coefB(C, 0.0f);
  double value = 0;
  for (int64_t c = 1; c < C; ++c) {
    const float den = (static_cast<float>(sums.total(c, threads)) + static_cast<float>(sums.total(2 * C + c, threads))) + smooth;
    const float num = static_cast<float>(sums.total(C + c, threads)) * 2.0f + smooth;
    value += 1.0f - num / den;
    coefA[c] = 2.0f / den;
    coefB[c] = num / (den * den);
  }
  forRowRanges(a.rows, threads, [&](int, int64_t from, int64_t to) {
    for (int64_t r = from; r < to; ++r) {
      float* g = a.gradient + r * C;
      if (a.labels[r] == a.ignoreLabel) {
        for (int64_t j = 0; j < C; ++j) g[j] = 0.0f;
        continue;
      }
      const int64_t y = a.labels[r];
      const float* pr = g;
      double pb = 0;
      for (int64_t j = 0; j < C; ++j) pb += pr[j] * coefB[j];
      const float atLabel = coefA[y] * pr[y];
      const float weighted = static_cast<float>(pb) - atLabel;
      // As in the cross-entropy, the label's term is subtracted from g[y] alone.
      for (int64_t j = 0; j < C; ++j) g[j] = pr[j] * (coefB[j] - weighted);
      g[y] = g[y] - atLabel;
    }
  });
  return Napi::Number::New(info.Env(), static_cast<float>(value));
}

}  // namespace ranp
