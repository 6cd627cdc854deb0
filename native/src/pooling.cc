#include "pooling.h"

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "arguments.h"
#include "parallel.h"
#include "vectorize.h"

namespace ranp {
namespace {

// Below this many dy values one core keeps up and a parallel region only adds waiting.
constexpr int64_t kParallelMin = 1 << 14;

struct Axis {
  int64_t in, out;
  const int32_t* start;
  const int32_t* end;
};

// Whether some input index lies in two windows of this axis (stride < filter).
bool overlaps(const Axis& a) {
  for (int64_t o = 0; o + 1 < a.out; ++o)
    if (a.end[o] > a.start[o + 1]) return true;
  return false;
}

// Offsets into the NDHWC input of the window of output (b, od, oh, ow), in scan order (depth,
// height, width ascending), replacing `window`'s contents.
void windowOffsets(const Axis (&axes)[3], int64_t channels, int64_t b, int64_t od, int64_t oh, int64_t ow,
                   std::vector<int64_t>& window) {
  window.clear();
  for (int64_t xd = axes[0].start[od]; xd < axes[0].end[od]; ++xd)
    for (int64_t xh = axes[1].start[oh]; xh < axes[1].end[oh]; ++xh)
      for (int64_t xw = axes[2].start[ow]; xw < axes[2].end[ow]; ++xw)
        window.push_back((((b * axes[0].in + xd) * axes[1].in + xh) * axes[2].in + xw) * channels);
}

// For output positions of rows [from, to) of (batch, outD) and channels [c0, c1): the argmax of each
// window, handed to add(inputIndex, dyIndex) in output order.
template <class Add>
void scanWindows(const float* input, int64_t channels, const Axis (&axes)[3], int64_t from, int64_t to, int64_t c0,
                 int64_t c1, Add add) {
  const int64_t width = c1 - c0;
  std::vector<float> best(static_cast<size_t>(width));
  std::vector<int64_t> argmax(static_cast<size_t>(width));
  std::vector<int64_t> window;
  for (int64_t row = from; row < to; ++row) {
    const int64_t b = row / axes[0].out;
    const int64_t od = row % axes[0].out;
    for (int64_t oh = 0; oh < axes[1].out; ++oh)
      for (int64_t ow = 0; ow < axes[2].out; ++ow) {
        const int64_t outBase = (((row * axes[1].out) + oh) * axes[2].out + ow) * channels;
        for (int64_t c = 0; c < width; ++c) {
          best[c] = -std::numeric_limits<float>::infinity();
          argmax[c] = -1;
        }
        windowOffsets(axes, channels, b, od, oh, ow, window);
        for (const int64_t offset : window) {
          const int64_t at = offset + c0;
          const float* v = input + at;
          for (int64_t c = 0; c < width; ++c)
            if (v[c] >= best[c]) {
              best[c] = v[c];
              argmax[c] = at + c;
            }
        }
        for (int64_t c = 0; c < width; ++c)
          if (argmax[c] >= 0) add(argmax[c], outBase + c0 + c);
      }
  }
}

// The pooling shape from info[first…first + 2] = sizes, starts, ends (pooling.h).
struct PoolShape {
  int64_t batch, channels, inCount, outCount;
  Axis axes[3];
};

PoolShape poolShapeArgs(const Napi::CallbackInfo& info, const char* fn, size_t first) {
  Napi::Int32Array sizesArray = int32Arg(info, first, fn, "sizes");
  Napi::Int32Array startsArray = int32Arg(info, first + 1, fn, "starts");
  Napi::Int32Array endsArray = int32Arg(info, first + 2, fn, "ends");
  if (sizesArray.ElementLength() != 8)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": 'sizes' must hold [batch, channels, inD, inH, inW, outD, outH, outW]");
  const int32_t* sizes = sizesArray.Data();
  for (size_t i = 0; i < 8; ++i)
    if (sizes[i] <= 0) throw Napi::RangeError::New(info.Env(), std::string(fn) + ": 'sizes' must be positive");
  PoolShape p;
  p.batch = sizes[0];
  p.channels = sizes[1];
  p.inCount = p.batch * p.channels * sizes[2] * sizes[3] * sizes[4];
  p.outCount = p.batch * p.channels * sizes[5] * sizes[6] * sizes[7];
  const int64_t windows = static_cast<int64_t>(sizes[5]) + sizes[6] + sizes[7];
  if (static_cast<int64_t>(startsArray.ElementLength()) != windows ||
      static_cast<int64_t>(endsArray.ElementLength()) != windows)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": 'starts' and 'ends' must hold outD + outH + outW values");
  const int32_t* starts = startsArray.Data();
  const int32_t* ends = endsArray.Data();
  int64_t offset = 0;
  for (int a = 0; a < 3; ++a) {
    p.axes[a] = {sizes[2 + a], sizes[5 + a], starts + offset, ends + offset};
    for (int64_t o = 0; o < p.axes[a].out; ++o)
      if (p.axes[a].start[o] < 0 || p.axes[a].end[o] > p.axes[a].in)
        throw Napi::RangeError::New(info.Env(), std::string(fn) + ": a window reaches outside the input");
    offset += p.axes[a].out;
  }
  return p;
}

// out[c] = v[c] if v[c] > out[c]: strict, so NaN never wins (tfjs's MaxPool3D).
RANP_VECTOR_CLONES RANP_NO_TRAPS inline void maxInto(const float* __restrict v, float* __restrict out, int64_t n) {
  for (int64_t c = 0; c < n; ++c) out[c] = v[c] > out[c] ? v[c] : out[c];
}

// Window element k of every channel: where v[c] >= best[c] (the scan's rule: the last maximum
// wins, NaN never does) it becomes the channel's best and argmax. Branch-free, so it vectorizes.
RANP_VECTOR_CLONES RANP_NO_TRAPS inline void argmaxInto(const float* __restrict v, float* __restrict best,
                                                       int32_t* __restrict argmax, int32_t k, int64_t n) {
  for (int64_t c = 0; c < n; ++c) {
    const bool take = v[c] >= best[c];
    best[c] = take ? v[c] : best[c];
    argmax[c] = take ? k : argmax[c];
  }
}

// dx of window element k: 0 + dy where it is the argmax (−0 becoming +0, as tfjs's sum from 0), else 0.
RANP_VECTOR_CLONES RANP_NO_TRAPS inline void windowGradient(const float* __restrict dy, const int32_t* __restrict argmax,
                                                           int32_t k, float* __restrict dx, int64_t n) {
  for (int64_t c = 0; c < n; ++c) dx[c] = argmax[c] == k ? 0.0f + dy[c] : 0.0f;
}

// Whether the windows of this axis cover every input index (then a non-overlapping pass writes all of dx).
bool covers(const Axis& a) {
  int64_t next = 0;
  for (int64_t o = 0; o < a.out; ++o) {
    if (a.start[o] > next) return false;
    next = a.end[o] > next ? a.end[o] : next;
  }
  return next == a.in;
}

}  // namespace

Napi::Value MaxPool3dForward(const Napi::CallbackInfo& info) {
  const char* fn = "maxPool3dForward";
  if (info.Length() != 5) throw Napi::TypeError::New(info.Env(), std::string(fn) + " expects 5 arguments");
  Napi::Float32Array inputArray = float32Arg(info, 0, fn, "input");
  Napi::Float32Array outArray = float32Arg(info, 1, fn, "out");
  const PoolShape p = poolShapeArgs(info, fn, 2);
  if (static_cast<int64_t>(inputArray.ElementLength()) != p.inCount ||
      static_cast<int64_t>(outArray.ElementLength()) != p.outCount)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": input must hold " + std::to_string(p.inCount) +
                                                " values and out " + std::to_string(p.outCount));
  const float* input = inputArray.Data();
  float* out = outArray.Data();
  const Axis(&axes)[3] = p.axes;
  const int64_t channels = p.channels;
  const int threads = p.outCount >= kParallelMin ? omp_get_max_threads() : 1;
  // Rows of (batch, outD) are independent: each output position is written by one thread.
  forRowRanges(p.batch * axes[0].out, threads, [&](int, int64_t from, int64_t to) {
    std::vector<int64_t> window;
    for (int64_t row = from; row < to; ++row) {
      const int64_t b = row / axes[0].out;
      const int64_t od = row % axes[0].out;
      for (int64_t oh = 0; oh < axes[1].out; ++oh)
        for (int64_t ow = 0; ow < axes[2].out; ++ow) {
          float* o = out + (((row * axes[1].out) + oh) * axes[2].out + ow) * channels;
          for (int64_t c = 0; c < channels; ++c) o[c] = -std::numeric_limits<float>::infinity();
          windowOffsets(axes, channels, b, od, oh, ow, window);
          for (const int64_t offset : window) maxInto(input + offset, o, channels);
        }
    }
  });
  return info.Env().Undefined();
}

Napi::Value MaxPool3dBackward(const Napi::CallbackInfo& info) {
  const char* fn = "maxPool3dBackward";
  if (info.Length() != 6) throw Napi::TypeError::New(info.Env(), std::string(fn) + " expects 6 arguments");
  Napi::Float32Array inputArray = float32Arg(info, 0, fn, "input");
  Napi::Float32Array dyArray = float32Arg(info, 1, fn, "dy");
  Napi::Float32Array dxArray = float32Arg(info, 2, fn, "dx");
  const PoolShape p = poolShapeArgs(info, fn, 3);
  const int64_t batch = p.batch;
  const int64_t channels = p.channels;
  const int64_t inCount = p.inCount;
  const int64_t outCount = p.outCount;
  if (static_cast<int64_t>(inputArray.ElementLength()) != inCount ||
      static_cast<int64_t>(dxArray.ElementLength()) != inCount ||
      static_cast<int64_t>(dyArray.ElementLength()) != outCount)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": input and dx must hold " + std::to_string(inCount) +
                                                " values and dy " + std::to_string(outCount));
  const Axis(&axes)[3] = p.axes;
  const float* input = inputArray.Data();
  const float* dy = dyArray.Data();
  float* dx = dxArray.Data();
  const int threads = outCount >= kParallelMin ? omp_get_max_threads() : 1;
  const int64_t rows = batch * axes[0].out;
  if (!overlaps(axes[0]) && !overlaps(axes[1]) && !overlaps(axes[2])) {
    // Every input value is in at most one window: it gets one addend, which the double sum of
    // tfjs rounds back to itself. Each window writes dx for all its elements; values in no window
    // (windows that skip some) are zeroed first. Rows are independent.
    if (!covers(axes[0]) || !covers(axes[1]) || !covers(axes[2]))
      forRowRanges(inCount, threads, [&](int, int64_t from, int64_t to) { std::fill(dx + from, dx + to, 0.0f); });
    forRowRanges(rows, threads, [&](int, int64_t from, int64_t to) {
      std::vector<float> best(static_cast<size_t>(channels));
      std::vector<int32_t> argmax(static_cast<size_t>(channels));
      std::vector<int64_t> window;
      for (int64_t row = from; row < to; ++row) {
        const int64_t b = row / axes[0].out;
        const int64_t od = row % axes[0].out;
        for (int64_t oh = 0; oh < axes[1].out; ++oh)
          for (int64_t ow = 0; ow < axes[2].out; ++ow) {
            windowOffsets(axes, channels, b, od, oh, ow, window);
            std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
            std::fill(argmax.begin(), argmax.end(), -1);
            const int32_t n = static_cast<int32_t>(window.size());
            for (int32_t k = 0; k < n; ++k) argmaxInto(input + window[k], best.data(), argmax.data(), k, channels);
            const float* dyRow = dy + (((row * axes[1].out) + oh) * axes[2].out + ow) * channels;
            for (int32_t k = 0; k < n; ++k) windowGradient(dyRow, argmax.data(), k, dx + window[k], channels);
          }
      }
    });
    return info.Env().Undefined();
  }
  // Overlapping windows: an input value collects several addends, summed in output order; threads
  // take channel ranges so each value's sum keeps that order.
  std::vector<double> sums(static_cast<size_t>(inCount), 0.0);
  forRowRanges(channels, threads, [&](int, int64_t c0, int64_t c1) {
    if (c0 < c1)
      scanWindows(input, channels, axes, 0, rows, c0, c1, [&](int64_t at, int64_t out) { sums[at] += dy[out]; });
  });
#pragma omp parallel for num_threads(threads) if (threads > 1)
  for (int64_t i = 0; i < inCount; ++i) dx[i] = static_cast<float>(sums[i]);
  return info.Env().Undefined();
}

}  // namespace ranp
