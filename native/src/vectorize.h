// Attributes for the hand-vectorized loops (softmax-rows.h, batchnorm.cc).
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
// Compiled for AVX-512, AVX2 and the baseline, picked at load time.
#define RANP_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
// GCC leaves a loop with a floating-point comparison scalar ("control flow in loop") while the
// comparison may trap; without traps it becomes a vector compare and blend with the same values.
// At -O3 this made softmax-rows.h's expShifted 4× faster (60 → 15 ms for 13 M logits on one core).
// The attribute restarts from GCC's defaults, which contract a·b + c into one rounding (-std=c++17
// turns that off for the rest of the addon): fp-contract=off keeps every operation rounded.
#define RANP_NO_TRAPS __attribute__((optimize("no-trapping-math", "fp-contract=off")))
#else
#define RANP_VECTOR_CLONES
#define RANP_NO_TRAPS
#endif
