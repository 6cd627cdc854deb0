// Every tfjs kernel allocates a fresh output buffer (V8 ArrayBuffer → calloc). glibc serves large
// ones with mmap and unmaps them on free, so each new tensor faults in all its pages again: ~30 µs
// per 4 KiB page in the Firecracker VM measured here (150 ms for a 21 MB weight-sized tensor,
// against 1 ms to fill it once resident), which dominated a training step's element-wise kernels.
// Serving them from the heap and never trimming it lets freed buffers be reused without faults;
// the cost is that the process keeps its peak heap size.
#include "memory.h"

#include <climits>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ranp {

Napi::Value RetainFreedMemory(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__)
  const bool applied = mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1;
#else
  const bool applied = false;
#endif
  return Napi::Boolean::New(info.Env(), applied);
}

}  // namespace ranp
