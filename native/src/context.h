// One oneDNN CPU engine and stream for the process, and a bounded cache of built primitives
// (building a primitive JIT-compiles code: milliseconds, far too slow to repeat per call).
#pragma once

#include <dnnl.hpp>

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

namespace ranp {

dnnl::engine& cpuEngine();
dnnl::stream& cpuStream();

struct CachedPrimitive {
  virtual ~CachedPrimitive() = default;
};

// Returns the entry for `key`, building it with `build` on a miss. The cache is cleared when full:
// a training run uses a few dozen geometries, so this only bounds pathological use.
template <typename T>
T& cachedPrimitive(const std::string& key, const std::function<std::unique_ptr<T>()>& build) {
  static std::unordered_map<std::string, std::unique_ptr<CachedPrimitive>> cache;
  constexpr size_t maxEntries = 512;
  auto it = cache.find(key);
  if (it == cache.end()) {
    if (cache.size() >= maxEntries) cache.clear();
    it = cache.emplace(key, build()).first;
  }
  return static_cast<T&>(*it->second);
}

}  // namespace ranp
