#include "copy.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "arguments.h"
#include "parallel.h"

namespace ranp {
namespace {

std::vector<int64_t> intsArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name) {
  if (!info[index].IsArray())
    throw Napi::TypeError::New(info.Env(), std::string(fn) + ": argument '" + name + "' must be an array of integers");
  Napi::Array array = info[index].As<Napi::Array>();
  std::vector<int64_t> out(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value v = array.Get(i);
    if (!v.IsNumber())
      throw Napi::TypeError::New(info.Env(), std::string(fn) + ": '" + name + "' must hold numbers");
    out[i] = v.As<Napi::Number>().Int64Value();
  }
  return out;
}

// Below this many dy values one core keeps up and a parallel region only adds waiting.
constexpr int64_t kParallelMin = 1 << 16;

Napi::RangeError outside(const Napi::CallbackInfo& info, const char* fn, const char* which) {
  return Napi::RangeError::New(info.Env(), std::string(fn) + ": the box reaches outside '" + which + "'");
}

}  // namespace

Napi::Value CopyStrided(const Napi::CallbackInfo& info) {
  const char* fn = "copyStrided";
  if (info.Length() != 7) throw Napi::TypeError::New(info.Env(), std::string(fn) + " expects 7 arguments");
  Napi::Float32Array src = float32Arg(info, 0, fn, "src");
  Napi::Float32Array dst = float32Arg(info, 1, fn, "dst");
  const int64_t srcOffset = static_cast<int64_t>(numberArg(info, 2, fn, "srcOffset"));
  const int64_t dstOffset = static_cast<int64_t>(numberArg(info, 3, fn, "dstOffset"));
  const std::vector<int64_t> extents = intsArg(info, 4, fn, "extents");
  const std::vector<int64_t> srcStrides = intsArg(info, 5, fn, "srcStrides");
  const std::vector<int64_t> dstStrides = intsArg(info, 6, fn, "dstStrides");
  const size_t rank = extents.size();
  if (rank == 0 || srcStrides.size() != rank || dstStrides.size() != rank)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": extents and strides must have the same non-zero length");
  // The last value each side touches must lie inside it (strides and extents are non-negative).
  int64_t srcLast = srcOffset + extents[0] - 1;
  int64_t dstLast = dstOffset + extents[0] - 1;
  for (size_t a = 0; a < rank; ++a) {
    if (extents[a] <= 0) return info.Env().Undefined();
    if (a > 0) {
      if (srcStrides[a] < 0 || dstStrides[a] < 0)
        throw Napi::RangeError::New(info.Env(), std::string(fn) + ": strides must be non-negative");
      srcLast += (extents[a] - 1) * srcStrides[a];
      dstLast += (extents[a] - 1) * dstStrides[a];
    }
  }
  if (srcOffset < 0 || srcLast >= static_cast<int64_t>(src.ElementLength())) throw outside(info, fn, "src");
  if (dstOffset < 0 || dstLast >= static_cast<int64_t>(dst.ElementLength())) throw outside(info, fn, "dst");
  const float* from = src.Data();
  float* to = dst.Data();
  const size_t bytes = static_cast<size_t>(extents[0]) * sizeof(float);
  std::vector<int64_t> index(rank, 0);
  int64_t s = srcOffset;
  int64_t d = dstOffset;
  for (;;) {
    std::memcpy(to + d, from + s, bytes);
    size_t a = 1;
    for (; a < rank; ++a) {
      s += srcStrides[a];
      d += dstStrides[a];
      if (++index[a] < extents[a]) break;
      s -= extents[a] * srcStrides[a];
      d -= extents[a] * dstStrides[a];
      index[a] = 0;
    }
    if (a >= rank) break;
  }
  return info.Env().Undefined();
}

Napi::Value GatherRuns(const Napi::CallbackInfo& info) {
  const char* fn = "gatherRuns";
  if (info.Length() != 6) throw Napi::TypeError::New(info.Env(), std::string(fn) + " expects 6 arguments");
  Napi::Float32Array src = float32Arg(info, 0, fn, "src");
  Napi::Float32Array dst = float32Arg(info, 1, fn, "dst");
  const int64_t outer = positiveIntArg(info, 2, fn, "outer");
  const int64_t dim = positiveIntArg(info, 3, fn, "dim");
  const int64_t inner = positiveIntArg(info, 4, fn, "inner");
  Napi::Int32Array indices = int32Arg(info, 5, fn, "indices");
  const int64_t count = static_cast<int64_t>(indices.ElementLength());
  if (static_cast<int64_t>(src.ElementLength()) != outer * dim * inner ||
      static_cast<int64_t>(dst.ElementLength()) != outer * count * inner)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": src must hold outer·dim·inner and dst outer·indices·inner values");
  const int32_t* ids = indices.Data();
  for (int64_t i = 0; i < count; ++i)
    if (ids[i] < 0 || ids[i] >= dim)
      throw Napi::RangeError::New(info.Env(), std::string(fn) + ": index " + std::to_string(ids[i]) + " at " +
                                                  std::to_string(i) + " is outside [0, " + std::to_string(dim) + ")");
  const float* from = src.Data();
  float* to = dst.Data();
  const size_t bytes = static_cast<size_t>(inner) * sizeof(float);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < count; ++i) std::memcpy(to + (o * count + i) * inner, from + (o * dim + ids[i]) * inner, bytes);
  return info.Env().Undefined();
}

Napi::Value BlockSums(const Napi::CallbackInfo& info) {
  const char* fn = "blockSums";
  if (info.Length() != 10) throw Napi::TypeError::New(info.Env(), std::string(fn) + " expects 10 arguments");
  Napi::Float32Array dyArray = float32Arg(info, 0, fn, "dy");
  Napi::Float32Array dxArray = float32Arg(info, 1, fn, "dx");
  const int64_t n = positiveIntArg(info, 2, fn, "n");
  const int64_t d = positiveIntArg(info, 3, fn, "d");
  const int64_t h = positiveIntArg(info, 4, fn, "h");
  const int64_t w = positiveIntArg(info, 5, fn, "w");
  const int64_t c = positiveIntArg(info, 6, fn, "c");
  const int64_t kd = positiveIntArg(info, 7, fn, "kd");
  const int64_t kh = positiveIntArg(info, 8, fn, "kh");
  const int64_t kw = positiveIntArg(info, 9, fn, "kw");
  const int64_t dxCount = n * d * h * w * c;
  const int64_t dyCount = dxCount * kd * kh * kw;
  if (static_cast<int64_t>(dxArray.ElementLength()) != dxCount ||
      static_cast<int64_t>(dyArray.ElementLength()) != dyCount)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": dx must hold n·d·h·w·c = " + std::to_string(dxCount) +
                                                " values and dy that times kd·kh·kw = " + std::to_string(dyCount) +
                                                "; they hold " + std::to_string(dxArray.ElementLength()) + " and " +
                                                std::to_string(dyArray.ElementLength()));
  const float* dy = dyArray.Data();
  float* dx = dxArray.Data();
  // dy strides (NDHWC): one w step, one h row, one d plane.
  const int64_t wStride = c;
  const int64_t hStride = w * kw * c;
  const int64_t dStride = h * kh * hStride;
  const int threads = dyCount >= kParallelMin ? omp_get_max_threads() : 1;
  forRowRanges(n * d * h, threads, [&](int, int64_t from, int64_t to) {
    std::vector<double> sums(static_cast<size_t>(c));
    for (int64_t row = from; row < to; ++row) {
      const int64_t y = row % h;
      const int64_t z = (row / h) % d;
      const int64_t b = row / (h * d);
      const float* block = dy + b * d * kd * dStride + z * kd * dStride + y * kh * hStride;
      for (int64_t x = 0; x < w; ++x, block += kw * wStride) {
        std::fill(sums.begin(), sums.end(), 0.0);
        for (int64_t i = 0; i < kd; ++i)
          for (int64_t j = 0; j < kh; ++j)
            for (int64_t k = 0; k < kw; ++k) {
              const float* v = block + i * dStride + j * hStride + k * wStride;
              for (int64_t ch = 0; ch < c; ++ch) sums[ch] += v[ch];
            }
        float* out = dx + ((row * w) + x) * c;
        for (int64_t ch = 0; ch < c; ++ch) out[ch] = static_cast<float>(sums[ch]);
      }
    }
  });
  return info.Env().Undefined();
}

}  // namespace ranp
