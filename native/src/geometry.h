// Geometry of one 3D convolution as the JS side describes it, validated before any memory is touched.
#pragma once

#include <napi.h>

#include <array>
#include <cstdint>
#include <string>

namespace ranp {

using Triple = std::array<int64_t, 3>;

// Activations are NDHWC (tfjs's layout); filters are [kd, kh, kw, inChannels / groups, outChannels].
struct ConvGeometry {
  int64_t batch = 0;
  int64_t inChannels = 0;
  int64_t outChannels = 0;
  int64_t groups = 1;
  Triple inSize{};
  Triple outSize{};
  Triple kernel{};
  Triple strides{};
  Triple dilations{};  // tfjs convention: 1 = dense
  Triple padBefore{};
  Triple padAfter{};

  int64_t inputElements() const;
  int64_t outputElements() const;
  int64_t filterElements() const;
  // Unique per geometry: the primitive cache key.
  std::string key(const char* op) const;
};

// Reads and checks {batch, inChannels, outChannels, groups, inSize, outSize, kernel, strides,
// dilations, padBefore, padAfter}; throws Napi::TypeError naming the bad field.
ConvGeometry parseConvGeometry(const Napi::Env& env, const Napi::Value& value);

// The Float32Array argument `index`, checked to hold exactly `expected` elements.
Napi::Float32Array float32Arg(const Napi::CallbackInfo& info, size_t index, const char* name,
                              int64_t expected);

}  // namespace ranp
