#include "matmul.h"

#include <dnnl.h>

#include <algorithm>
#include <string>
#include <vector>

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

// C = op(A)·op(B) for one [m, n] product, serial, accumulated in double like tfjs's JS kernel (batch
// norm sums up to 10⁶ positions): row r of C accumulates k scaled rows of op(B), so the inner loop
// runs along contiguous memory when B is not transposed.
void serialMatMul(const float* a, const float* b, float* c, int64_t m, int64_t n, int64_t k, bool transposeA,
                  bool transposeB) {
  std::vector<double> row(static_cast<size_t>(n));
  for (int64_t r = 0; r < m; r++) {
    std::fill(row.begin(), row.end(), 0.0);
    for (int64_t j = 0; j < k; j++) {
      const double scale = a[transposeA ? j * m + r : r * k + j];
      if (transposeB)
        for (int64_t col = 0; col < n; col++) row[col] += scale * b[col * k + j];
      else
        for (int64_t col = 0; col < n; col++) row[col] += scale * b[j * n + col];
    }
    for (int64_t col = 0; col < n; col++) c[r * n + col] = static_cast<float>(row[col]);
  }
}

// Below this many multiply-adds per product, sgemm's OpenMP start-up (and its barrier waits when
// the cores are busy) costs more than the product: batch norm's [1, positions]·[positions, C] sums.
constexpr int64_t kSerialMultiplyAdds = int64_t{1} << 23;

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
  if (m * n * k <= kSerialMultiplyAdds) {
    for (int64_t i = 0; i < batch; i++)
      serialMatMul(a.Data() + (i % aBatches) * m * k, b.Data() + (i % bBatches) * k * n, out.Data() + i * m * n, m, n,
                   k, transposeA, transposeB);
    return env.Undefined();
  }
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
