#include "matmul.h"

#include <dnnl.h>

#include <string>

#include "geometry.h"

namespace ranp {

namespace {

int64_t intField(const Napi::Env& env, const Napi::Object& o, const char* name) {
  const Napi::Value v = o.Get(name);
  if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string("batchMatMul: '") + name + "' must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 1) || d != static_cast<double>(static_cast<int64_t>(d)))
    throw Napi::RangeError::New(env, std::string("batchMatMul: '") + name + "' must be a positive integer");
  return static_cast<int64_t>(d);
}

bool boolField(const Napi::Env& env, const Napi::Object& o, const char* name) {
  const Napi::Value v = o.Get(name);
  if (!v.IsBoolean()) throw Napi::TypeError::New(env, std::string("batchMatMul: '") + name + "' must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

}  // namespace

Napi::Value BatchMatMul(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 4 || !info[3].IsObject())
    throw Napi::TypeError::New(env, "batchMatMul(a, b, out, geometry) expects 4 arguments");
  const Napi::Object g = info[3].As<Napi::Object>();
  const int64_t batch = intField(env, g, "batch"), m = intField(env, g, "m"), n = intField(env, g, "n"),
                k = intField(env, g, "k"), aBatches = intField(env, g, "aBatches"),
                bBatches = intField(env, g, "bBatches");
  const bool transposeA = boolField(env, g, "transposeA"), transposeB = boolField(env, g, "transposeB");
  for (int64_t batches : {aBatches, bBatches})
    if (batches != 1 && batches != batch)
      throw Napi::RangeError::New(env, "batchMatMul: an operand's batch count must be 1 or the output's");
  Napi::Float32Array a = float32Arg(info, 0, "a", aBatches * m * k);
  Napi::Float32Array b = float32Arg(info, 1, "b", bBatches * k * n);
  Napi::Float32Array out = float32Arg(info, 2, "out", batch * m * n);
  for (int64_t i = 0; i < batch; i++) {
    // Row-major sgemm: lda/ldb are the stored row lengths (k or m for A, n or k for B).
    const dnnl_status_t status = dnnl_sgemm(
        transposeA ? 'T' : 'N', transposeB ? 'T' : 'N', m, n, k, 1.0f, a.Data() + (i % aBatches) * m * k,
        transposeA ? m : k, b.Data() + (i % bBatches) * k * n, transposeB ? k : n, 0.0f, out.Data() + i * m * n, n);
    if (status != dnnl_success)
      throw Napi::Error::New(env, "batchMatMul: oneDNN sgemm failed with status " + std::to_string(status));
  }
  return env.Undefined();
}

}  // namespace ranp
