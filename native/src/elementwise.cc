// Element-wise float32 kernels: unary ops, and binary ops for the broadcasts a training step uses. Every operand is read as
// value(i) = data[(i / run) % size] for output index i, which covers same shape (size n, run 1),
// scalar (size 1), trailing-axes broadcast (run 1: the operand repeats every `size` outputs) and
// per-row broadcast (run > 1: each value covers `run` consecutive outputs). At least one operand
// must be full-size; the loops below are specialised per pattern so each inner loop vectorizes.
#include "elementwise.h"

#include "arguments.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace ranp {
namespace {

// Below this many elements (4 MiB of float32) one core nearly keeps up with memory, and a parallel
// region adds waiting for the other threads: measured 3.3 ms instead of 0.44 ms for a 2^18-element
// add on 2 cores shared with other jobs.
constexpr int64_t kParallelMin = 1 << 20;

struct AddOp {
  static float apply(float a, float b) { return a + b; }
};
struct SubOp {
  static float apply(float a, float b) { return a - b; }
};
struct MultiplyOp {
  static float apply(float a, float b) { return a * b; }
};
struct RealDivOp {
  static float apply(float a, float b) { return a / b; }
};
// Math.max as in tfjs's JS kernel: NaN if either is NaN, max(+0, −0) = +0. Ties of zeros and
// unordered (NaN) pairs both come out right as a + b.
struct MaximumOp {
  static float apply(float a, float b) {
    if (a > b) return a;
    if (b > a) return b;
    return a == b && a != 0 ? a : a + b;
  }
};
struct SquaredDifferenceOp {
  static float apply(float a, float b) {
    const float d = a - b;
    return d * d;
  }
};

// Unary operations take an optional parameter (Step's alpha). Where tfjs's JS kernel computes in
// double (Math.sqrt, Math.exp, 1 / Math.sqrt) so do these, so results round the same way.
struct ReluOp {
  static float apply(float x, float) { return MaximumOp::apply(0.0f, x); }
};
struct StepOp {
  static float apply(float x, float alpha) { return x != x ? x : (x > 0 ? 1.0f : alpha); }
};
struct NegOp {
  static float apply(float x, float) { return -x; }
};
struct SquareOp {
  static float apply(float x, float) { return x * x; }
};
struct SqrtOp {
  static float apply(float x, float) { return std::sqrt(x); }
};
struct RsqrtOp {
  static float apply(float x, float) { return static_cast<float>(1.0 / std::sqrt(static_cast<double>(x))); }
};
struct ExpOp {
  static float apply(float x, float) { return static_cast<float>(std::exp(static_cast<double>(x))); }
};

template <class Op>
void unary(const float* x, float* out, int64_t n, float parameter) {
#pragma omp parallel for simd schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) out[i] = Op::apply(x[i], parameter);
}

using UnaryLoop = void (*)(const float*, float*, int64_t, float);

UnaryLoop unaryLoop(const std::string& op) {
  if (op == "Relu") return unary<ReluOp>;
  if (op == "Step") return unary<StepOp>;
  if (op == "Neg") return unary<NegOp>;
  if (op == "Square") return unary<SquareOp>;
  if (op == "Sqrt") return unary<SqrtOp>;
  if (op == "Rsqrt") return unary<RsqrtOp>;
  if (op == "Exp") return unary<ExpOp>;
  return nullptr;
}

struct Operand {
  const float* data;
  int64_t size;
  int64_t run;
};

// op(full, small) in the caller's operand order.
template <class Op, bool smallFirst>
inline float ordered(float full, float small) {
  return smallFirst ? Op::apply(small, full) : Op::apply(full, small);
}

template <class Op>
void sameShape(const float* a, const float* b, float* out, int64_t n) {
#pragma omp parallel for simd schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) out[i] = Op::apply(a[i], b[i]);
}

template <class Op, bool smallFirst>
void broadcast(const float* full, const Operand& small, float* out, int64_t n) {
  const float* s = small.data;
  if (small.size == 1) {
    const float scalar = s[0];
#pragma omp parallel for simd schedule(static) if (n >= kParallelMin)
    for (int64_t i = 0; i < n; ++i) out[i] = ordered<Op, smallFirst>(full[i], scalar);
  } else if (small.run == 1) {
    const int64_t period = small.size;
    const int64_t blocks = n / period;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
    for (int64_t block = 0; block < blocks; ++block) {
      const float* f = full + block * period;
      float* o = out + block * period;
#pragma omp simd
      for (int64_t j = 0; j < period; ++j) o[j] = ordered<Op, smallFirst>(f[j], s[j]);
    }
  } else {
    const int64_t run = small.run;
    const int64_t runs = n / run;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
    for (int64_t r = 0; r < runs; ++r) {
      const float value = s[r % small.size];
      const float* f = full + r * run;
      float* o = out + r * run;
#pragma omp simd
      for (int64_t j = 0; j < run; ++j) o[j] = ordered<Op, smallFirst>(f[j], value);
    }
  }
}

template <class Op>
void binary(const Operand& a, const Operand& b, float* out, int64_t n) {
  const bool aFull = a.size == n && a.run == 1;
  const bool bFull = b.size == n && b.run == 1;
  if (aFull && bFull) {
    sameShape<Op>(a.data, b.data, out, n);
  } else if (aFull) {
    broadcast<Op, false>(a.data, b, out, n);
  } else {
    broadcast<Op, true>(b.data, a, out, n);
  }
}

using BinaryLoop = void (*)(const Operand&, const Operand&, float*, int64_t);

// Operation names are tfjs kernel names, so the JS side passes its kernelName through.
BinaryLoop binaryLoop(const std::string& op) {
  if (op == "Add") return binary<AddOp>;
  if (op == "Sub") return binary<SubOp>;
  if (op == "Multiply") return binary<MultiplyOp>;
  if (op == "RealDiv") return binary<RealDivOp>;
  if (op == "Maximum") return binary<MaximumOp>;
  if (op == "SquaredDifference") return binary<SquaredDifferenceOp>;
  return nullptr;
}

// Σ x[0..n) in double; eight independent lanes so the loop vectorizes without -ffast-math.
double sumContiguous(const float* x, int64_t n) {
  double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; ++l) lanes[l] += x[i + l];
  double total = 0;
  for (; i < n; ++i) total += x[i];
  for (int l = 0; l < 8; ++l) total += lanes[l];
  return total;
}

// acc[c] += Σ_r x[r, c] over a [rows, cols] block.
void addRows(const float* x, int64_t rows, int64_t cols, double* acc) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
#pragma omp simd
    for (int64_t c = 0; c < cols; ++c) acc[c] += row[c];
  }
}

void sumBlock(const float* x, float* out, int64_t outer, int64_t reduce, int64_t inner) {
  const int threads = outer * reduce * inner >= kParallelMin ? omp_get_max_threads() : 1;
  if (outer >= threads) {
    // Enough independent output blocks: whole blocks per thread, each summed in order.
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
    for (int64_t o = 0; o < outer; ++o) {
      const float* block = x + o * reduce * inner;
      if (inner == 1) {
        out[o] = static_cast<float>(sumContiguous(block, reduce));
      } else {
        std::vector<double> acc(inner, 0.0);
        addRows(block, reduce, inner, acc.data());
        for (int64_t c = 0; c < inner; ++c) out[o * inner + c] = static_cast<float>(acc[c]);
      }
    }
    return;
  }
  // Few output blocks (column sums, a full reduction): split the reduced rows between threads,
  // each into its own double partials, combined in thread order.
  std::vector<double> partial(static_cast<size_t>(threads) * inner);
  for (int64_t o = 0; o < outer; ++o) {
    const float* block = x + o * reduce * inner;
    std::fill(partial.begin(), partial.end(), 0.0);
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
      const int64_t t = omp_get_thread_num();
      const int64_t nt = omp_get_num_threads();
      const int64_t from = reduce * t / nt;
      const int64_t to = reduce * (t + 1) / nt;
      double* acc = partial.data() + t * inner;
      if (inner == 1)
        acc[0] = sumContiguous(block + from, to - from);
      else
        addRows(block + from * inner, to - from, inner, acc);
    }
    for (int64_t c = 0; c < inner; ++c) {
      double total = 0;
      for (int t = 0; t < threads; ++t) total += partial[static_cast<size_t>(t) * inner + c];
      out[o * inner + c] = static_cast<float>(total);
    }
  }
}

}  // namespace

Napi::Value ElementwiseBinary(const Napi::CallbackInfo& info) {
  constexpr const char* fn = "elementwiseBinary";
  Napi::Env env = info.Env();
  if (info.Length() != 6 || !info[0].IsString())
    throw Napi::TypeError::New(env, "elementwiseBinary(op, a, b, out, aRun, bRun) expects 6 arguments, op a string");
  const std::string op = info[0].As<Napi::String>().Utf8Value();
  const BinaryLoop loop = binaryLoop(op);
  if (!loop) throw Napi::RangeError::New(env, std::string(fn) + ": unknown operation '" + op + "'");
  Napi::Float32Array a = float32Arg(info, 1, fn, "a");
  Napi::Float32Array b = float32Arg(info, 2, fn, "b");
  Napi::Float32Array out = float32Arg(info, 3, fn, "out");
  const Operand aOperand{a.Data(), static_cast<int64_t>(a.ElementLength()), positiveIntArg(info, 4, fn, "aRun")};
  const Operand bOperand{b.Data(), static_cast<int64_t>(b.ElementLength()), positiveIntArg(info, 5, fn, "bRun")};
  const int64_t n = static_cast<int64_t>(out.ElementLength());
  for (const Operand* operand : {&aOperand, &bOperand}) {
    const char* name = operand == &aOperand ? "a" : "b";
    if (operand->size < 1 || n % (operand->size * operand->run) != 0)
      throw Napi::RangeError::New(env, std::string(fn) + ": operand '" + name + "' (" + std::to_string(operand->size) +
                                           " values, run " + std::to_string(operand->run) +
                                           ") does not tile the output of " + std::to_string(n) + " values");
  }
  const bool aFull = aOperand.size == n && aOperand.run == 1;
  const bool bFull = bOperand.size == n && bOperand.run == 1;
  if (!aFull && !bFull)
    throw Napi::RangeError::New(env, std::string(fn) + ": one operand must hold all " + std::to_string(n) +
                                         " output values (got " + std::to_string(aOperand.size) + " and " +
                                         std::to_string(bOperand.size) + ")");
  loop(aOperand, bOperand, out.Data(), n);
  return env.Undefined();
}

Napi::Value ElementwiseUnary(const Napi::CallbackInfo& info) {
  constexpr const char* fn = "elementwiseUnary";
  Napi::Env env = info.Env();
  if (info.Length() != 4 || !info[0].IsString() || !info[3].IsNumber())
    throw Napi::TypeError::New(env, "elementwiseUnary(op, x, out, parameter) expects 4 arguments, op a string");
  const std::string op = info[0].As<Napi::String>().Utf8Value();
  const UnaryLoop loop = unaryLoop(op);
  if (!loop) throw Napi::RangeError::New(env, std::string(fn) + ": unknown operation '" + op + "'");
  Napi::Float32Array x = float32Arg(info, 1, fn, "x");
  Napi::Float32Array out = float32Arg(info, 2, fn, "out");
  if (x.ElementLength() != out.ElementLength())
    throw Napi::RangeError::New(env, std::string(fn) + ": x holds " + std::to_string(x.ElementLength()) +
                                         " values, out " + std::to_string(out.ElementLength()));
  loop(x.Data(), out.Data(), static_cast<int64_t>(x.ElementLength()),
       static_cast<float>(info[3].As<Napi::Number>().DoubleValue()));
  return env.Undefined();
}

Napi::Value SumBlock(const Napi::CallbackInfo& info) {
  constexpr const char* fn = "sumBlock";
  Napi::Env env = info.Env();
  if (info.Length() != 4) throw Napi::TypeError::New(env, "sumBlock(x, out, outer, inner) expects 4 arguments");
  Napi::Float32Array x = float32Arg(info, 0, fn, "x");
  Napi::Float32Array out = float32Arg(info, 1, fn, "out");
  const int64_t outer = positiveIntArg(info, 2, fn, "outer");
  const int64_t inner = positiveIntArg(info, 3, fn, "inner");
  const int64_t size = static_cast<int64_t>(x.ElementLength());
  if (static_cast<int64_t>(out.ElementLength()) != outer * inner || size == 0 || size % (outer * inner) != 0)
    throw Napi::RangeError::New(env, std::string(fn) + ": x of " + std::to_string(size) + " values and out of " +
                                         std::to_string(out.ElementLength()) + " do not match outer " +
                                         std::to_string(outer) + " × reduce × inner " + std::to_string(inner));
  sumBlock(x.Data(), out.Data(), outer, size / (outer * inner), inner);
  return env.Undefined();
}

}  // namespace ranp
