#include "geometry.h"

#include <sstream>

namespace ranp {

namespace {

int64_t integerValue(const Napi::Env& env, const Napi::Value& v, const std::string& what, int64_t min) {
  if (!v.IsNumber()) throw Napi::TypeError::New(env, "conv geometry: '" + what + "' must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (d != static_cast<double>(static_cast<int64_t>(d)) || d < static_cast<double>(min) || d > 1e9)
    throw Napi::TypeError::New(env, "conv geometry: '" + what + "' must be an integer >= " + std::to_string(min) +
                                        ", got " + std::to_string(d));
  return static_cast<int64_t>(d);
}

int64_t positiveInt(const Napi::Env& env, const Napi::Object& obj, const char* field, int64_t min) {
  return integerValue(env, obj.Get(field), field, min);
}

Triple triple(const Napi::Env& env, const Napi::Object& obj, const char* field, int64_t min) {
  Napi::Value v = obj.Get(field);
  if (!v.IsArray() || v.As<Napi::Array>().Length() != 3)
    throw Napi::TypeError::New(env, std::string("conv geometry: '") + field + "' must be an array of 3 integers");
  Napi::Array a = v.As<Napi::Array>();
  Triple t{};
  for (uint32_t i = 0; i < 3; ++i) t[i] = integerValue(env, a.Get(i), std::string(field) + "[" + std::to_string(i) + "]", min);
  return t;
}

}  // namespace

int64_t ConvGeometry::inputElements() const {
  return batch * inSize[0] * inSize[1] * inSize[2] * inChannels;
}

int64_t ConvGeometry::outputElements() const {
  return batch * outSize[0] * outSize[1] * outSize[2] * outChannels;
}

int64_t ConvGeometry::filterElements() const {
  return kernel[0] * kernel[1] * kernel[2] * (inChannels / groups) * outChannels;
}

std::string ConvGeometry::key(const char* op) const {
  std::ostringstream s;
  s << op << ':' << batch << ',' << inChannels << ',' << outChannels << ',' << groups;
  for (const Triple* t : {&inSize, &outSize, &kernel, &strides, &dilations, &padBefore, &padAfter})
    s << '|' << (*t)[0] << ',' << (*t)[1] << ',' << (*t)[2];
  return s.str();
}

ConvGeometry parseConvGeometry(const Napi::Env& env, const Napi::Value& value) {
  if (!value.IsObject()) throw Napi::TypeError::New(env, "conv geometry must be an object");
  Napi::Object obj = value.As<Napi::Object>();
  ConvGeometry g;
  g.batch = positiveInt(env, obj, "batch", 1);
  g.inChannels = positiveInt(env, obj, "inChannels", 1);
  g.outChannels = positiveInt(env, obj, "outChannels", 1);
  g.groups = positiveInt(env, obj, "groups", 1);
  g.inSize = triple(env, obj, "inSize", 1);
  g.outSize = triple(env, obj, "outSize", 1);
  g.kernel = triple(env, obj, "kernel", 1);
  g.strides = triple(env, obj, "strides", 1);
  g.dilations = triple(env, obj, "dilations", 1);
  g.padBefore = triple(env, obj, "padBefore", 0);
  g.padAfter = triple(env, obj, "padAfter", 0);
  if (g.inChannels % g.groups != 0 || g.outChannels % g.groups != 0)
    throw Napi::TypeError::New(env, "conv geometry: groups (" + std::to_string(g.groups) +
                                        ") must divide inChannels (" + std::to_string(g.inChannels) +
                                        ") and outChannels (" + std::to_string(g.outChannels) + ")");
  static const char* axes[3] = {"depth", "height", "width"};
  for (int i = 0; i < 3; ++i) {
    int64_t span = (g.kernel[i] - 1) * g.dilations[i] + 1;
    int64_t padded = g.inSize[i] + g.padBefore[i] + g.padAfter[i];
    int64_t expected = padded < span ? 0 : (padded - span) / g.strides[i] + 1;
    if (expected != g.outSize[i])
      throw Napi::TypeError::New(env, std::string("conv geometry: output ") + axes[i] + " is " +
                                          std::to_string(g.outSize[i]) + " but input, kernel, stride and padding give " +
                                          std::to_string(expected));
  }
  return g;
}

Napi::Float32Array float32Arg(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t expected) {
  Napi::Value v = info[index];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a Float32Array");
  Napi::Float32Array a = v.As<Napi::Float32Array>();
  if (static_cast<int64_t>(a.ElementLength()) != expected)
    throw Napi::RangeError::New(info.Env(), std::string("argument '") + name + "' has " +
                                                std::to_string(a.ElementLength()) + " elements, the geometry needs " +
                                                std::to_string(expected));
  return a;
}

}  // namespace ranp
