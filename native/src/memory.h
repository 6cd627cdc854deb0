// Process-wide malloc policy for tensor buffers.
#pragma once

#include <napi.h>

namespace ranp {

// retainFreedMemory(): keeps freed tensor buffers in the process heap for reuse (glibc); false elsewhere.
Napi::Value RetainFreedMemory(const Napi::CallbackInfo& info);

}  // namespace ranp
