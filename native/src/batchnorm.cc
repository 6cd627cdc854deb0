// Rounding follows the composed ops of engine/nn/layers/batchNorm3d.ts operation by operation, so a
// fused step computes what the composed one computes on the native kernels, whose channel sums
// (batchMatMul's serial path, up to 2²³ values) add float32 values in double and round once: mean =
// fl(Σx)/n, variance = fl(Σ fl((x − mean)²))/n, dγ from the float32 products dy·(x − mean). (Larger
// sums go to sgemm, in float32, there the fused sums are the closer ones.) The one-pass shifted
// statistics used before were closer to the exact ones, but their 1-ulp differences grew through
// training to 3e-3 (unpruned) and 8e-3 (pruned) in the 16³ demo's epoch-4 losses. Sums use fixed
// per-thread row ranges combined in thread order (parallel.h): a run repeats bit for bit at a given
// thread count.
#include "batchnorm.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "arguments.h"
#include "parallel.h"
#include "vectorize.h"

namespace ranp {
namespace {

// Below this many values one core keeps up and a parallel region only adds waiting.
constexpr int64_t kParallelMin = 1 << 16;

int threadsFor(int64_t values) { return values >= kParallelMin ? omp_get_max_threads() : 1; }

// The normalized value before the ReLU, one float32 operation per statement (a contracted
// multiply-add would round differently from the composed ops and from the backward's mask).
// RANP_NO_TRAPS as the loops calling it: GCC inlines only between functions of the same options.
RANP_NO_TRAPS inline float normalized(float x, float mean, float scale, float beta) {
  const float centered = x - mean;
  const float scaled = centered * scale;
  return scaled + beta;
}

// tf.relu (tfjs's Maximum with 0): NaN stays NaN.
RANP_NO_TRAPS inline float relu(float v) { return v > 0.0f ? v : (v != v ? v : 0.0f); }

// The passes run over tiles of kTileRows rows as flat loops of kTileRows·C values, against the
// per-channel parameters repeated for kTileRows rows (tiled()): a row of 10–17 channels is too short
// to vectorize, a tile is a whole number of 16-float vectors. The per-channel double sums still add
// the rows in order, so every value is what the row-by-row loops gave.
constexpr int64_t kTileRows = 16;

std::vector<float> tiled(const float* perChannel, int64_t channels) {
  std::vector<float> t(static_cast<size_t>(kTileRows * channels));
  for (int64_t i = 0; i < kTileRows * channels; ++i) t[i] = perChannel[i % channels];
  return t;
}

// out = normalized (and rectified) x, for n values from a row start.
RANP_VECTOR_CLONES RANP_NO_TRAPS inline void normalizeFlat(const float* __restrict x, const float* mean,
                                                          const float* scale, const float* beta, bool withRelu,
                                                          float* __restrict out, int64_t n) {
  if (withRelu)
    for (int64_t i = 0; i < n; ++i) out[i] = relu(normalized(x[i], mean[i], scale[i], beta[i]));
  else
    for (int64_t i = 0; i < n; ++i) out[i] = normalized(x[i], mean[i], scale[i], beta[i]);
}

// ∂loss/∂(pre-ReLU y): dy where the forward's y was positive (tf.step of the ReLU output: dy·1,
// dy·0, NaN for a NaN y), or dy itself without the ReLU.
RANP_VECTOR_CLONES RANP_NO_TRAPS inline void maskFlat(const float* __restrict x, const float* __restrict dy,
                                                     const float* mean, const float* scale, const float* beta,
                                                     bool withRelu, float* __restrict g, int64_t n) {
  if (!withRelu) {
    for (int64_t i = 0; i < n; ++i) g[i] = dy[i];
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    const float v = normalized(x[i], mean[i], scale[i], beta[i]);
    const float step = v > 0.0f ? 1.0f : (v != v ? v : 0.0f);
    g[i] = dy[i] * step;
  }
}

// out = g·(x − μ) (with g = 1: (x − μ)²), each operation rounded to float32.
RANP_VECTOR_CLONES RANP_NO_TRAPS inline void centeredProductFlat(const float* __restrict x, const float* __restrict g,
                                                                const float* mean, float* __restrict out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = g[i] * (x[i] - mean[i]);
}
RANP_VECTOR_CLONES RANP_NO_TRAPS inline void centeredSquareFlat(const float* __restrict x, const float* mean,
                                                               float* __restrict out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float centered = x[i] - mean[i];
    out[i] = centered * centered;
  }
}

// sums[c] += t[r·C + c] over rows r in order, in double.
RANP_VECTOR_CLONES RANP_NO_TRAPS inline void addRows(const float* __restrict t, int64_t rows, int64_t channels,
                                                    double* __restrict sums) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < channels; ++c) sums[c] += static_cast<double>(t[r * channels + c]);
}

// dx = ((a·g) + (b·(x − μ))) + k.
RANP_VECTOR_CLONES RANP_NO_TRAPS inline void dxFlat(const float* __restrict x, const float* __restrict g,
                                                   const float* mean, const float* a, const float* b, const float* k,
                                                   float* __restrict dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float centered = x[i] - mean[i];
    const float fromDy = a[i] * g[i];
    const float fromX = b[i] * centered;
    const float sum = fromDy + fromX;
    dx[i] = sum + k[i];
  }
}

// body(first row, rows in the tile) over [from, to) in tiles of kTileRows rows.
template <class Body>
void forTiles(int64_t from, int64_t to, Body body) {
  for (int64_t r = from; r < to; r += kTileRows) body(r, std::min(kTileRows, to - r));
}

void checkArgs(const Napi::CallbackInfo& info, const char* fn, size_t count) {
  if (info.Length() != count)
    throw Napi::TypeError::New(info.Env(), std::string(fn) + " expects " + std::to_string(count) + " arguments");
}

void checkLength(const Napi::CallbackInfo& info, const char* fn, const char* name, const Napi::Float32Array& a,
                 size_t expected) {
  if (a.ElementLength() != expected)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": '" + name + "' holds " +
                                                std::to_string(a.ElementLength()) + " values, expected " +
                                                std::to_string(expected));
}

bool boolArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name) {
  if (!info[index].IsBoolean())
    throw Napi::TypeError::New(info.Env(), std::string(fn) + ": argument '" + name + "' must be a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

// rows of a [rows, channels] volume of `values` values; a volume that is not whole rows is an error.
int64_t rowsOf(const Napi::CallbackInfo& info, const char* fn, size_t values, size_t channels) {
  if (channels == 0 || values == 0 || values % channels != 0)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": 'x' holds " + std::to_string(values) +
                                                " values, not a positive multiple of the " + std::to_string(channels) +
                                                " channels of 'gamma'");
  return static_cast<int64_t>(values / channels);
}

}  // namespace

Napi::Value BatchNormForward(const Napi::CallbackInfo& info) {
  const char* fn = "batchNormForward";
  checkArgs(info, fn, 9);
  Napi::Float32Array xArg = float32Arg(info, 0, fn, "x");
  Napi::Float32Array gammaArg = float32Arg(info, 1, fn, "gamma");
  const size_t C = gammaArg.ElementLength();
  const int64_t rows = rowsOf(info, fn, xArg.ElementLength(), C);
  const char* names[] = {"beta", "y", "mean", "variance", "invStd"};
  Napi::Float32Array arrays[5];
  for (size_t k = 0; k < 5; ++k) {
    arrays[k] = float32Arg(info, 2 + k, fn, names[k]);
    checkLength(info, fn, names[k], arrays[k], k == 1 ? xArg.ElementLength() : C);
  }
  const float eps = static_cast<float>(numberArg(info, 7, fn, "eps"));
  const bool withRelu = boolArg(info, 8, fn, "relu");
  const float* x = xArg.Data();
  const float* gamma = gammaArg.Data();
  const float* beta = arrays[0].Data();
  float* y = arrays[1].Data();
  float* mean = arrays[2].Data();
  float* variance = arrays[3].Data();
  float* invStd = arrays[4].Data();
  const int64_t channels = static_cast<int64_t>(C);

  // Pass 1: Σx per channel; the mean as batchNorm3d.ts's channelSum(x).div(count): the double sum
  // rounded to float32, then a float32 division.
  const int threads = threadsFor(rows * channels);
  const float count = static_cast<float>(rows);
  Partials sums(threads, channels);
  forRowRanges(rows, threads, [&](int t, int64_t from, int64_t to) {
    // Thread-local sums, copied out once: neighbouring threads' partials share cache lines.
    std::vector<double> local(static_cast<size_t>(channels), 0.0);
    addRows(x + from * channels, to - from, channels, local.data());
    std::copy(local.begin(), local.end(), sums.of(t));
  });
  for (int64_t c = 0; c < channels; ++c) mean[c] = static_cast<float>(sums.total(c, threads)) / count;
  // Pass 2: Σ((x − μ)²) with the centred value and its square each rounded to float32 (the composed
  // ops' centered and squared volumes), then divided as above.
  const std::vector<float> meanT = tiled(mean, channels);
  Partials squares(threads, channels);
  forRowRanges(rows, threads, [&](int t, int64_t from, int64_t to) {
    std::vector<double> local(static_cast<size_t>(channels), 0.0);
    std::vector<float> tile(static_cast<size_t>(kTileRows * channels));
    forTiles(from, to, [&](int64_t r, int64_t n) {
      centeredSquareFlat(x + r * channels, meanT.data(), tile.data(), n * channels);
      addRows(tile.data(), n, channels, local.data());
    });
    std::copy(local.begin(), local.end(), squares.of(t));
  });
  std::vector<float> scale(C);
  for (int64_t c = 0; c < channels; ++c) {
    variance[c] = static_cast<float>(squares.total(c, threads)) / count;
    // tf.rsqrt(variance.add(eps)) on the native kernels: the sum in float32, the root in double.
    const float shifted = variance[c] + eps;
    invStd[c] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(shifted)));
    scale[c] = invStd[c] * gamma[c];
  }

  // Pass 3: the normalized (and rectified) output.
  const std::vector<float> scaleT = tiled(scale.data(), channels), betaT = tiled(beta, channels);
  forRowRanges(rows, threads, [&](int, int64_t from, int64_t to) {
    forTiles(from, to, [&](int64_t r, int64_t n) {
      normalizeFlat(x + r * channels, meanT.data(), scaleT.data(), betaT.data(), withRelu, y + r * channels,
                    n * channels);
    });
  });
  return info.Env().Undefined();
}

Napi::Value BatchNormBackward(const Napi::CallbackInfo& info) {
  const char* fn = "batchNormBackward";
  checkArgs(info, fn, 10);
  Napi::Float32Array xArg = float32Arg(info, 0, fn, "x");
  Napi::Float32Array gammaArg = float32Arg(info, 4, fn, "gamma");
  const size_t C = gammaArg.ElementLength();
  const int64_t rows = rowsOf(info, fn, xArg.ElementLength(), C);
  // Argument index → name; the volumes hold x's length, the rest one value per channel.
  const size_t indices[] = {1, 2, 3, 5, 6, 7, 8};
  const char* names[] = {"dy", "mean", "invStd", "beta", "dx", "dgamma", "dbeta"};
  Napi::Float32Array arrays[7];
  for (size_t k = 0; k < 7; ++k) {
    arrays[k] = float32Arg(info, indices[k], fn, names[k]);
    checkLength(info, fn, names[k], arrays[k], k == 0 || k == 4 ? xArg.ElementLength() : C);
  }
  const bool withRelu = boolArg(info, 9, fn, "relu");
  const float* x = xArg.Data();
  const float* gamma = gammaArg.Data();
  const float* dy = arrays[0].Data();
  const float* mean = arrays[1].Data();
  const float* invStd = arrays[2].Data();
  const float* beta = arrays[3].Data();
  float* dx = arrays[4].Data();
  float* dgamma = arrays[5].Data();
  float* dbeta = arrays[6].Data();
  const int64_t channels = static_cast<int64_t>(C);
  std::vector<float> scale(C);
  for (int64_t c = 0; c < channels; ++c) scale[c] = invStd[c] * gamma[c];
  const std::vector<float> meanT = tiled(mean, channels), scaleT = tiled(scale.data(), channels),
                           betaT = tiled(beta, channels);
  // ∂loss/∂(pre-ReLU y) of a tile of n rows from row r, written to `g`.
  auto maskTile = [&](int64_t r, int64_t n, float* g) {
    maskFlat(x + r * channels, dy + r * channels, meanT.data(), scaleT.data(), betaT.data(), withRelu, g,
             n * channels);
  };

  // Pass 1: Σdy and Σdy·(x − μ) per channel, each product rounded to float32 (the composed ops' product volume).
  const int threads = threadsFor(rows * channels);
  Partials sums(threads, 2 * channels);
  forRowRanges(rows, threads, [&](int t, int64_t from, int64_t to) {
    std::vector<double> local(static_cast<size_t>(2 * channels), 0.0);
    std::vector<float> g(static_cast<size_t>(kTileRows * channels)), product(g.size());
    forTiles(from, to, [&](int64_t r, int64_t n) {
      maskTile(r, n, g.data());
      centeredProductFlat(x + r * channels, g.data(), meanT.data(), product.data(), n * channels);
      addRows(g.data(), n, channels, local.data());
      addRows(product.data(), n, channels, local.data() + channels);
    });
    std::copy(local.begin(), local.end(), sums.of(t));
  });
  // dx = a·dy + b·(x − μ) + c with a = γσ⁻¹, b = −a·σ⁻¹·Σ(dy·x̂)/m, c = −a·Σdy/m, as batchNorm3d.ts.
  const float negCount = -static_cast<float>(rows);
  std::vector<float> a(C), b(C), k(C);
  for (int64_t c = 0; c < channels; ++c) {
    dbeta[c] = static_cast<float>(sums.total(c, threads));
    dgamma[c] = static_cast<float>(sums.total(channels + c, threads)) * invStd[c];
    a[c] = gamma[c] * invStd[c];
    const float aInv = a[c] * invStd[c];
    b[c] = (aInv * dgamma[c]) / negCount;
    k[c] = (a[c] * dbeta[c]) / negCount;
  }

  // Pass 2: dx.
  const std::vector<float> aT = tiled(a.data(), channels), bT = tiled(b.data(), channels),
                           kT = tiled(k.data(), channels);
  forRowRanges(rows, threads, [&](int, int64_t from, int64_t to) {
    std::vector<float> g(static_cast<size_t>(kTileRows * channels));
    forTiles(from, to, [&](int64_t r, int64_t n) {
      maskTile(r, n, g.data());
      dxFlat(x + r * channels, g.data(), meanT.data(), aT.data(), bT.data(), kT.data(), dx + r * channels,
             n * channels);
    });
  });
  return info.Env().Undefined();
}

}  // namespace ranp
