#include "arguments.h"

#include <cmath>
#include <string>

namespace ranp {

Napi::Float32Array float32Arg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name) {
  if (!info[index].IsTypedArray() || info[index].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(info.Env(), std::string(fn) + ": argument '" + name + "' must be a Float32Array");
  return info[index].As<Napi::Float32Array>();
}

Napi::Int32Array int32Arg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name) {
  if (!info[index].IsTypedArray() || info[index].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw Napi::TypeError::New(info.Env(), std::string(fn) + ": argument '" + name + "' must be an Int32Array");
  return info[index].As<Napi::Int32Array>();
}

int64_t positiveIntArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name) {
  const double value = numberArg(info, index, fn, name);
  if (!(value >= 1) || value != static_cast<double>(static_cast<int64_t>(value)))
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": '" + name + "' must be a positive integer, got " +
                                                std::to_string(value));
  return static_cast<int64_t>(value);
}

double numberArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* name) {
  if (!info[index].IsNumber())
    throw Napi::TypeError::New(info.Env(), std::string(fn) + ": argument '" + name + "' must be a number");
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(value))
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": '" + name + "' must be finite, got " +
                                                std::to_string(value));
  return value;
}

}  // namespace ranp
