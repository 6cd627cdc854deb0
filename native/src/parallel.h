// Reproducible OpenMP reductions shared by the loss and batch-norm kernels: rows split between
// threads in fixed contiguous ranges, per-thread partial sums combined in thread order, so a run
// repeats bit for bit at a given thread count.
#pragma once

#include <omp.h>

#include <cstdint>
#include <vector>

namespace ranp {

// Per-thread partial sums: `width` doubles per thread, combined in thread order.
class Partials {
 public:
  Partials(int threads, int64_t width) : width_(width), values_(static_cast<size_t>(threads * width), 0.0) {}
  double* of(int thread) { return values_.data() + thread * width_; }
  double total(int64_t k, int threads) const {
    double t = 0;
    for (int i = 0; i < threads; ++i) t += values_[static_cast<size_t>(i * width_ + k)];
    return t;
  }

 private:
  int64_t width_;
  std::vector<double> values_;
};

// body(thread, from, to) on `threads` threads, thread t taking rows [rows·t/n, rows·(t+1)/n).
template <class Body>
void forRowRanges(int64_t rows, int threads, Body body) {
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    const int t = omp_get_thread_num();
    const int nt = omp_get_num_threads();
    body(t, rows * t / nt, rows * (t + 1) / nt);
  }
}

}  // namespace ranp
