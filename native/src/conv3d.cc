#include "conv3d.h"

#include "context.h"
#include "geometry.h"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ranp {

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

memory::dims dims3(const Triple& t) { return {t[0], t[1], t[2]}; }

// oneDNN counts dilation from 0 (dense), tfjs from 1.
memory::dims oneDnnDilations(const Triple& t) { return {t[0] - 1, t[1] - 1, t[2] - 1}; }

memory::desc activationDesc(int64_t batch, int64_t channels, const Triple& size) {
  // NDHWC as tfjs stores it: the big tensors are used in place, never reordered.
  return memory::desc({batch, channels, size[0], size[1], size[2]}, dt::f32, tag::ndhwc);
}

// The tfjs filter [kd, kh, kw, inChannels / groups, outChannels] described by strides, so oneDNN
// reads it in place (grouped: output channel g * outPerGroup + j is group g's j-th filter).
memory::desc userFilterDesc(const ConvGeometry& g) {
  const int64_t oc = g.outChannels, icg = g.inChannels / g.groups, ocg = g.outChannels / g.groups;
  const int64_t kd = g.kernel[0], kh = g.kernel[1], kw = g.kernel[2];
  const int64_t sKw = icg * oc, sKh = kw * sKw, sKd = kh * sKh;
  if (g.groups == 1) return memory::desc({oc, icg, kd, kh, kw}, dt::f32, memory::dims{1, oc, sKd, sKh, sKw});
  return memory::desc({g.groups, ocg, icg, kd, kh, kw}, dt::f32, memory::dims{ocg, 1, oc, sKd, sKh, sKw});
}

memory::desc anyFilterDesc(const ConvGeometry& g) {
  const int64_t icg = g.inChannels / g.groups, ocg = g.outChannels / g.groups;
  if (g.groups == 1) return memory::desc({g.outChannels, icg, g.kernel[0], g.kernel[1], g.kernel[2]}, dt::f32, tag::any);
  return memory::desc({g.groups, ocg, icg, g.kernel[0], g.kernel[1], g.kernel[2]}, dt::f32, tag::any);
}

dnnl::convolution_forward::primitive_desc forwardPd(const ConvGeometry& g, dnnl::prop_kind kind) {
  dnnl::convolution_forward::desc d(kind, dnnl::algorithm::convolution_direct,
                                    activationDesc(g.batch, g.inChannels, g.inSize), anyFilterDesc(g),
                                    activationDesc(g.batch, g.outChannels, g.outSize), dims3(g.strides),
                                    oneDnnDilations(g.dilations), dims3(g.padBefore), dims3(g.padAfter));
  return dnnl::convolution_forward::primitive_desc(d, cpuEngine());
}

// A filter holds at most a few hundred thousand values: one thread reorders it faster than two
// meet at a barrier, and on a shared machine waiting for the second thread can cost a time slice.
class OneThread {
 public:
  OneThread() : saved_(omp_get_max_threads()) { omp_set_num_threads(1); }
  ~OneThread() { omp_set_num_threads(saved_); }

 private:
  int saved_;
};

// A primitive plus the reorders between the tfjs filter layout and the one the primitive chose,
// built once with it (building a reorder per call went through oneDNN's primitive cache each time).
struct ConvEntry : CachedPrimitive {
  dnnl::primitive primitive;
  memory::desc userFilter;
  memory filterBuffer;  // primitive-layout filter, used only when the layouts differ
  dnnl::reorder toPrimitive, toUser;
  bool needsReorder = false;
  std::vector<float> partialGradient;  // a depth part's filter gradient (user layout), parts after the first

  void setFilterLayouts(const memory::desc& user, const memory::desc& chosen) {
    userFilter = user;
    needsReorder = user != chosen;
    if (!needsReorder) return;
    filterBuffer = memory(chosen, cpuEngine());
    toPrimitive = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), user, cpuEngine(), chosen));
    toUser = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), chosen, cpuEngine(), user));
  }

  // The filter in the primitive's layout: `w` itself, or reordered into filterBuffer.
  memory filterFrom(dnnl::stream& stream, float* w) {
    memory userW(userFilter, cpuEngine(), w);
    if (!needsReorder) return userW;
    OneThread one;
    toPrimitive.execute(stream, userW, filterBuffer);
    return filterBuffer;
  }

  // Where the primitive writes a filter gradient bound for `dw`; then copyToUser(dw).
  memory filterGradientFor(float* dw) { return needsReorder ? filterBuffer : memory(userFilter, cpuEngine(), dw); }
  void copyToUser(dnnl::stream& stream, float* dw) {
    if (!needsReorder) return;
    memory userDw(userFilter, cpuEngine(), dw);
    OneThread one;
    toUser.execute(stream, filterBuffer, userDw);
  }
};

// Batch 1 (a training step at 64³) is cut along depth into one part per thread, each part a
// single-threaded conv on its slab of rows (contiguous in NDHWC). oneDNN's own two-thread kernels
// split a thin layer's work unevenly (44→12 3³ at 64³: filter gradient 73 and 44 ms of CPU on the
// two threads) and pay for the cross-thread reduction (117 ms of CPU against 91 ms on one thread).
struct DepthPart {
  ConvGeometry g;
  int64_t inRow = 0, outRow = 0;  // where the part's input and output slabs start
};

int64_t floorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

int64_t depthSpan(const ConvGeometry& g) { return (g.kernel[0] - 1) * g.dilations[0] + 1; }

// The part computing output rows [o0, o1) from the input rows their windows read, padded where
// the windows pass the volume's ends (forward and filter gradient cut the output).
std::optional<DepthPart> outputRowsPart(const ConvGeometry& g, int64_t o0, int64_t o1) {
  const int64_t first = o0 * g.strides[0] - g.padBefore[0];
  const int64_t end = (o1 - 1) * g.strides[0] - g.padBefore[0] + depthSpan(g);
  DepthPart p{g, std::max<int64_t>(first, 0), o0};
  p.g.inSize[0] = std::min(end, g.inSize[0]) - p.inRow;
  p.g.outSize[0] = o1 - o0;
  p.g.padBefore[0] = p.inRow - first;
  p.g.padAfter[0] = end - std::min(end, g.inSize[0]);
  if (p.g.inSize[0] < 1) return std::nullopt;
  return p;
}

// The part computing input-gradient rows [a, b) from every output row whose window reaches them;
// contributions to rows outside [a, b) fall in the part's padding and are dropped.
std::optional<DepthPart> inputRowsPart(const ConvGeometry& g, int64_t a, int64_t b) {
  const int64_t s = g.strides[0], pad = g.padBefore[0], span = depthSpan(g);
  const int64_t o0 = std::max<int64_t>(0, floorDiv(a + pad - span, s) + 1);
  const int64_t o1 = std::min(g.outSize[0], floorDiv(b - 1 + pad, s) + 1);
  DepthPart p{g, a, o0};
  p.g.inSize[0] = b - a;
  p.g.outSize[0] = o1 - o0;
  p.g.padBefore[0] = a + pad - o0 * s;
  p.g.padAfter[0] = (o1 - o0 - 1) * s + span - (b - a) - p.g.padBefore[0];
  if (o1 <= o0 || p.g.padBefore[0] < 0 || p.g.padAfter[0] < 0) return std::nullopt;
  return p;
}

// The parts for this call, or none (run the conv whole): `cutInput` cuts the input rows.
std::vector<DepthPart> depthParts(const ConvGeometry& g, bool cutInput) {
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  const int64_t rows = cutInput ? g.inSize[0] : g.outSize[0];
  const int64_t n = std::min<int64_t>(threads, rows);
  std::vector<DepthPart> parts;
  if (g.batch != 1 || n < 2) return parts;
  for (int64_t t = 0; t < n; ++t) {
    const int64_t from = rows * t / n, to = rows * (t + 1) / n;
    auto p = cutInput ? inputRowsPart(g, from, to) : outputRowsPart(g, from, to);
    if (!p) return {};
    parts.push_back(*p);
  }
  return parts;
}

// One stream per thread: parts execute concurrently, and a dnnl::stream is not meant to be shared.
dnnl::stream& threadStream(int thread) {
  static std::vector<std::unique_ptr<dnnl::stream>> streams;
  while (static_cast<int>(streams.size()) <= thread) streams.push_back(std::make_unique<dnnl::stream>(cpuEngine()));
  return *streams[static_cast<size_t>(thread)];
}

// One conv's part primitives, cached as one entry (so the cache's clearing cannot drop some of them).
struct PartEntries : CachedPrimitive {
  std::vector<std::unique_ptr<ConvEntry>> parts;
};

// The entries for `parts`, built with one OpenMP thread: a primitive plans its thread split when
// built, and runs inside the parts' parallel region on the one thread it then gets.
template <class Build>
std::vector<std::unique_ptr<ConvEntry>>& partEntries(const ConvGeometry& g, const std::vector<DepthPart>& parts,
                                                     const char* op, Build build) {
  for (size_t t = 0; t < parts.size(); ++t) threadStream(static_cast<int>(t));
  const std::string key = g.key(op) + "#parts" + std::to_string(parts.size());
  return cachedPrimitive<PartEntries>(key, [&] {
           OneThread one;
           auto entries = std::make_unique<PartEntries>();
           for (const DepthPart& p : parts) entries->parts.push_back(build(p.g));
           return entries;
         })
      .parts;
}

// run(part, stream) for every part, one thread each; a oneDNN error is rethrown outside the region.
template <class Run>
void runParts(size_t count, Run run) {
  std::exception_ptr failure;
#pragma omp parallel num_threads(static_cast<int>(count))
  {
    const int nt = omp_get_num_threads();
    for (size_t t = static_cast<size_t>(omp_get_thread_num()); t < count; t += static_cast<size_t>(nt)) {
      try {
        run(t, threadStream(omp_get_thread_num()));
      } catch (...) {
#pragma omp critical(ranp_conv_parts)
        failure = std::current_exception();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
}

std::unique_ptr<ConvEntry> buildForward(const ConvGeometry& g) {
  auto entry = std::make_unique<ConvEntry>();
  auto pd = forwardPd(g, dnnl::prop_kind::forward_training);
  entry->primitive = dnnl::convolution_forward(pd);
  entry->setFilterLayouts(userFilterDesc(g), pd.weights_desc());
  return entry;
}

std::unique_ptr<ConvEntry> buildBackwardData(const ConvGeometry& g) {
  auto entry = std::make_unique<ConvEntry>();
  dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct,
                                          activationDesc(g.batch, g.inChannels, g.inSize), anyFilterDesc(g),
                                          activationDesc(g.batch, g.outChannels, g.outSize), dims3(g.strides),
                                          oneDnnDilations(g.dilations), dims3(g.padBefore), dims3(g.padAfter));
  dnnl::convolution_backward_data::primitive_desc pd(d, cpuEngine(), forwardPd(g, dnnl::prop_kind::forward_training));
  entry->primitive = dnnl::convolution_backward_data(pd);
  entry->setFilterLayouts(userFilterDesc(g), pd.weights_desc());
  return entry;
}

std::unique_ptr<ConvEntry> buildBackwardWeights(const ConvGeometry& g) {
  auto entry = std::make_unique<ConvEntry>();
  dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct,
                                             activationDesc(g.batch, g.inChannels, g.inSize), anyFilterDesc(g),
                                             activationDesc(g.batch, g.outChannels, g.outSize), dims3(g.strides),
                                             oneDnnDilations(g.dilations), dims3(g.padBefore), dims3(g.padAfter));
  dnnl::convolution_backward_weights::primitive_desc pd(d, cpuEngine(),
                                                        forwardPd(g, dnnl::prop_kind::forward_training));
  entry->primitive = dnnl::convolution_backward_weights(pd);
  entry->setFilterLayouts(userFilterDesc(g), pd.diff_weights_desc());
  return entry;
}

// Elements in one depth row of a batch-1 NDHWC input or output.
int64_t inputRowElements(const ConvGeometry& g) { return g.inSize[1] * g.inSize[2] * g.inChannels; }
int64_t outputRowElements(const ConvGeometry& g) { return g.outSize[1] * g.outSize[2] * g.outChannels; }

void forward(ConvEntry& e, const ConvGeometry& g, float* x, float* w, float* y, dnnl::stream& stream) {
  memory src(activationDesc(g.batch, g.inChannels, g.inSize), cpuEngine(), x);
  memory dst(activationDesc(g.batch, g.outChannels, g.outSize), cpuEngine(), y);
  memory weights = e.filterFrom(stream, w);
  e.primitive.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, dst}});
  stream.wait();
}

void backwardData(ConvEntry& e, const ConvGeometry& g, float* dy, float* w, float* dx, dnnl::stream& stream) {
  memory diffDst(activationDesc(g.batch, g.outChannels, g.outSize), cpuEngine(), dy);
  memory diffSrc(activationDesc(g.batch, g.inChannels, g.inSize), cpuEngine(), dx);
  memory weights = e.filterFrom(stream, w);
  e.primitive.execute(stream, {{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DIFF_SRC, diffSrc}});
  stream.wait();
}

void backwardWeights(ConvEntry& e, const ConvGeometry& g, float* x, float* dy, float* dw, dnnl::stream& stream) {
  memory src(activationDesc(g.batch, g.inChannels, g.inSize), cpuEngine(), x);
  memory diffDst(activationDesc(g.batch, g.outChannels, g.outSize), cpuEngine(), dy);
  e.primitive.execute(stream,
                      {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_DIFF_WEIGHTS, e.filterGradientFor(dw)}});
  e.copyToUser(stream, dw);
  stream.wait();
}

float* data(Napi::Float32Array a) { return a.Data(); }

template <typename Fn>
Napi::Value guarded(const Napi::CallbackInfo& info, const char* op, Fn fn) {
  if (info.Length() != 4) throw Napi::TypeError::New(info.Env(), std::string(op) + " takes 4 arguments");
  try {
    fn();
  } catch (const dnnl::error& e) {
    throw Napi::Error::New(info.Env(), std::string(op) + ": oneDNN error " + std::to_string(e.status) + ": " + e.what());
  }
  return info.Env().Undefined();
}

}  // namespace

Napi::Value Conv3dForward(const Napi::CallbackInfo& info) {
  return guarded(info, "conv3dForward", [&] {
    ConvGeometry g = parseConvGeometry(info.Env(), info[3]);
    float* x = data(float32Arg(info, 0, "x", g.inputElements()));
    float* w = data(float32Arg(info, 1, "filter", g.filterElements()));
    float* y = data(float32Arg(info, 2, "y", g.outputElements()));
    const auto parts = depthParts(g, false);
    if (parts.empty()) {
      forward(cachedPrimitive<ConvEntry>(g.key("fwd"), [&] { return buildForward(g); }), g, x, w, y, cpuStream());
      return;
    }
    auto& entries = partEntries(g, parts, "fwd", buildForward);
    runParts(parts.size(), [&](size_t t, dnnl::stream& stream) {
      const DepthPart& p = parts[t];
      forward(*entries[t], p.g, x + p.inRow * inputRowElements(g), w, y + p.outRow * outputRowElements(g), stream);
    });
  });
}

Napi::Value Conv3dBackwardInput(const Napi::CallbackInfo& info) {
  return guarded(info, "conv3dBackwardInput", [&] {
    ConvGeometry g = parseConvGeometry(info.Env(), info[3]);
    float* dy = data(float32Arg(info, 0, "dy", g.outputElements()));
    float* w = data(float32Arg(info, 1, "filter", g.filterElements()));
    float* dx = data(float32Arg(info, 2, "dx", g.inputElements()));
    const auto parts = depthParts(g, true);
    if (parts.empty()) {
      backwardData(cachedPrimitive<ConvEntry>(g.key("bwd_data"), [&] { return buildBackwardData(g); }), g, dy, w, dx,
                   cpuStream());
      return;
    }
    auto& entries = partEntries(g, parts, "bwd_data", buildBackwardData);
    runParts(parts.size(), [&](size_t t, dnnl::stream& stream) {
      const DepthPart& p = parts[t];
      backwardData(*entries[t], p.g, dy + p.outRow * outputRowElements(g), w, dx + p.inRow * inputRowElements(g),
                   stream);
    });
  });
}

Napi::Value Conv3dBackwardFilter(const Napi::CallbackInfo& info) {
  return guarded(info, "conv3dBackwardFilter", [&] {
    ConvGeometry g = parseConvGeometry(info.Env(), info[3]);
    float* x = data(float32Arg(info, 0, "x", g.inputElements()));
    float* dy = data(float32Arg(info, 1, "dy", g.outputElements()));
    float* dw = data(float32Arg(info, 2, "dFilter", g.filterElements()));
    const auto parts = depthParts(g, false);
    if (parts.empty()) {
      backwardWeights(cachedPrimitive<ConvEntry>(g.key("bwd_weights"), [&] { return buildBackwardWeights(g); }), g, x,
                      dy, dw, cpuStream());
      return;
    }
    auto& entries = partEntries(g, parts, "bwd_weights", buildBackwardWeights);
    const size_t n = static_cast<size_t>(g.filterElements());
    // Part 0 writes dFilter, the others their own buffers, added to it in part order (the same
    // sum, bit for bit, on every call).
    for (size_t t = 1; t < parts.size(); ++t) entries[t]->partialGradient.resize(n);
    runParts(parts.size(), [&](size_t t, dnnl::stream& stream) {
      const DepthPart& p = parts[t];
      backwardWeights(*entries[t], p.g, x + p.inRow * inputRowElements(g), dy + p.outRow * outputRowElements(g),
                      t == 0 ? dw : entries[t]->partialGradient.data(), stream);
    });
    for (size_t t = 1; t < parts.size(); ++t) {
      const float* partial = entries[t]->partialGradient.data();
      for (size_t i = 0; i < n; ++i) dw[i] += partial[i];
    }
  });
}

}  // namespace ranp
