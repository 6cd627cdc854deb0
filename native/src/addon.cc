// N-API entry of @ranp/native: oneDNN kernels over tfjs's NDHWC float32 buffers.
#include <napi.h>
#include <omp.h>

#include "batchnorm.h"
#include "context.h"
#include "conv3d.h"
#include "copy.h"
#include "elementwise.h"
#include "losses.h"
#include "matmul.h"
#include "memory.h"
#include "optimizers.h"
#include "pooling.h"

namespace ranp {

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

namespace {

const char* isaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

}  // namespace

// info(): { oneDnnVersion, threads, isa } — what `ranp doctor` and the bench report.
Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const dnnl_version_t* v = dnnl_version();
  Napi::Object out = Napi::Object::New(env);
  out.Set("oneDnnVersion", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
  out.Set("threads", omp_get_max_threads());
  out.Set("isa", isaName(dnnl::get_effective_cpu_isa()));
  return out;
}

}  // namespace ranp

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, ranp::Info));
  exports.Set("conv3dForward", Napi::Function::New(env, ranp::Conv3dForward));
  exports.Set("conv3dBackwardInput", Napi::Function::New(env, ranp::Conv3dBackwardInput));
  exports.Set("conv3dBackwardFilter", Napi::Function::New(env, ranp::Conv3dBackwardFilter));
  exports.Set("elementwiseBinary", Napi::Function::New(env, ranp::ElementwiseBinary));
  exports.Set("elementwiseUnary", Napi::Function::New(env, ranp::ElementwiseUnary));
  exports.Set("sumBlock", Napi::Function::New(env, ranp::SumBlock));
  exports.Set("softmaxCrossEntropy", Napi::Function::New(env, ranp::SoftmaxCrossEntropy));
  exports.Set("softDice", Napi::Function::New(env, ranp::SoftDice));
  exports.Set("batchNormForward", Napi::Function::New(env, ranp::BatchNormForward));
  exports.Set("batchNormBackward", Napi::Function::New(env, ranp::BatchNormBackward));
  exports.Set("copyStrided", Napi::Function::New(env, ranp::CopyStrided));
  exports.Set("gatherRuns", Napi::Function::New(env, ranp::GatherRuns));
  exports.Set("blockSums", Napi::Function::New(env, ranp::BlockSums));
  exports.Set("maxPool3dForward", Napi::Function::New(env, ranp::MaxPool3dForward));
  exports.Set("maxPool3dBackward", Napi::Function::New(env, ranp::MaxPool3dBackward));
  exports.Set("batchMatMul", Napi::Function::New(env, ranp::BatchMatMul));
  exports.Set("sgdUpdate", Napi::Function::New(env, ranp::SgdUpdate));
  exports.Set("adamUpdate", Napi::Function::New(env, ranp::AdamUpdate));
  exports.Set("retainFreedMemory", Napi::Function::New(env, ranp::RetainFreedMemory));
  return exports;
}

NODE_API_MODULE(ranp_native, InitAddon)
