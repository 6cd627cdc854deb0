#include "conv3d.h"

#include "context.h"
#include "geometry.h"

#include <omp.h>

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

  void setFilterLayouts(const memory::desc& user, const memory::desc& chosen) {
    userFilter = user;
    needsReorder = user != chosen;
    if (!needsReorder) return;
    filterBuffer = memory(chosen, cpuEngine());
    toPrimitive = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), user, cpuEngine(), chosen));
    toUser = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), chosen, cpuEngine(), user));
  }

  // The filter in the primitive's layout: `w` itself, or reordered into filterBuffer.
  memory filterFrom(float* w) {
    memory userW(userFilter, cpuEngine(), w);
    if (!needsReorder) return userW;
    OneThread one;
    toPrimitive.execute(cpuStream(), userW, filterBuffer);
    return filterBuffer;
  }

  // Where the primitive writes a filter gradient bound for `dw`; then copyToUser(dw).
  memory filterGradientFor(float* dw) { return needsReorder ? filterBuffer : memory(userFilter, cpuEngine(), dw); }
  void copyToUser(float* dw) {
    if (!needsReorder) return;
    memory userDw(userFilter, cpuEngine(), dw);
    OneThread one;
    toUser.execute(cpuStream(), filterBuffer, userDw);
  }
};

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
    Napi::Float32Array x = float32Arg(info, 0, "x", g.inputElements());
    Napi::Float32Array w = float32Arg(info, 1, "filter", g.filterElements());
    Napi::Float32Array y = float32Arg(info, 2, "y", g.outputElements());
    auto& e = cachedPrimitive<ConvEntry>(g.key("fwd"), [&] {
      auto entry = std::make_unique<ConvEntry>();
      auto pd = forwardPd(g, dnnl::prop_kind::forward_training);
      entry->primitive = dnnl::convolution_forward(pd);
      entry->setFilterLayouts(userFilterDesc(g), pd.weights_desc());
      return entry;
    });
    memory src(activationDesc(g.batch, g.inChannels, g.inSize), cpuEngine(), data(x));
    memory dst(activationDesc(g.batch, g.outChannels, g.outSize), cpuEngine(), data(y));
    memory weights = e.filterFrom(data(w));
    e.primitive.execute(cpuStream(), {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, dst}});
    cpuStream().wait();
  });
}

Napi::Value Conv3dBackwardInput(const Napi::CallbackInfo& info) {
  return guarded(info, "conv3dBackwardInput", [&] {
    ConvGeometry g = parseConvGeometry(info.Env(), info[3]);
    Napi::Float32Array dy = float32Arg(info, 0, "dy", g.outputElements());
    Napi::Float32Array w = float32Arg(info, 1, "filter", g.filterElements());
    Napi::Float32Array dx = float32Arg(info, 2, "dx", g.inputElements());
    auto& e = cachedPrimitive<ConvEntry>(g.key("bwd_data"), [&] {
      auto entry = std::make_unique<ConvEntry>();
      dnnl::convolution_backward_data::desc d(
          dnnl::algorithm::convolution_direct, activationDesc(g.batch, g.inChannels, g.inSize), anyFilterDesc(g),
          activationDesc(g.batch, g.outChannels, g.outSize), dims3(g.strides), oneDnnDilations(g.dilations),
          dims3(g.padBefore), dims3(g.padAfter));
      dnnl::convolution_backward_data::primitive_desc pd(d, cpuEngine(),
                                                         forwardPd(g, dnnl::prop_kind::forward_training));
      entry->primitive = dnnl::convolution_backward_data(pd);
      entry->setFilterLayouts(userFilterDesc(g), pd.weights_desc());
      return entry;
    });
    memory diffDst(activationDesc(g.batch, g.outChannels, g.outSize), cpuEngine(), data(dy));
    memory diffSrc(activationDesc(g.batch, g.inChannels, g.inSize), cpuEngine(), data(dx));
    memory weights = e.filterFrom(data(w));
    e.primitive.execute(cpuStream(),
                        {{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DIFF_SRC, diffSrc}});
    cpuStream().wait();
  });
}

Napi::Value Conv3dBackwardFilter(const Napi::CallbackInfo& info) {
  return guarded(info, "conv3dBackwardFilter", [&] {
    ConvGeometry g = parseConvGeometry(info.Env(), info[3]);
    Napi::Float32Array x = float32Arg(info, 0, "x", g.inputElements());
    Napi::Float32Array dy = float32Arg(info, 1, "dy", g.outputElements());
    Napi::Float32Array dw = float32Arg(info, 2, "dFilter", g.filterElements());
    auto& e = cachedPrimitive<ConvEntry>(g.key("bwd_weights"), [&] {
      auto entry = std::make_unique<ConvEntry>();
      dnnl::convolution_backward_weights::desc d(
          dnnl::algorithm::convolution_direct, activationDesc(g.batch, g.inChannels, g.inSize), anyFilterDesc(g),
          activationDesc(g.batch, g.outChannels, g.outSize), dims3(g.strides), oneDnnDilations(g.dilations),
          dims3(g.padBefore), dims3(g.padAfter));
      dnnl::convolution_backward_weights::primitive_desc pd(d, cpuEngine(),
                                                            forwardPd(g, dnnl::prop_kind::forward_training));
      entry->primitive = dnnl::convolution_backward_weights(pd);
      entry->setFilterLayouts(userFilterDesc(g), pd.diff_weights_desc());
      return entry;
    });
    memory src(activationDesc(g.batch, g.inChannels, g.inSize), cpuEngine(), data(x));
    memory diffDst(activationDesc(g.batch, g.outChannels, g.outSize), cpuEngine(), data(dy));
    e.primitive.execute(cpuStream(), {{DNNL_ARG_SRC, src},
                                      {DNNL_ARG_DIFF_DST, diffDst},
                                      {DNNL_ARG_DIFF_WEIGHTS, e.filterGradientFor(data(dw))}});
    e.copyToUser(data(dw));
    cpuStream().wait();
  });
}

}  // namespace ranp
