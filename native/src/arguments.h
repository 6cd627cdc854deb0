// Checked N-API arguments shared by the element-wise and loss kernels: each names the function and
// the argument it rejects.
#pragma once

#include <napi.h>

#include <cstdint>

namespace ranp {

// The Float32Array argument `index` of `fn`, any length.
Napi::Float32Array float32Arg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name);
// The Int32Array argument `index` of `fn`, any length.
Napi::Int32Array int32Arg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name);
// The number argument `index` of `fn`, which must be a positive integer.
int64_t positiveIntArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name);
// The number argument `index` of `fn`, any finite value.
double numberArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name);

}  // namespace ranp
