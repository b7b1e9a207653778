// bench-clock.h: the clock and the ordering of the C benchmarks' repetitions, header-only:
// gpt2-bench includes it from the tools library's folder, ci/perf/stream.c (compiled on its own) by
// its path.
#ifndef GPT2_BENCH_CLOCK_H
#define GPT2_BENCH_CLOCK_H

#include <stdlib.h>
#include <time.h>

// Seconds on the monotonic clock (differences are what count).
static inline double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static inline int bench_cmp_double(const void * a, const void * b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

// Sorts the n times of the repetitions, fastest first: ts[0] the best, ts[n / 2] the median, ts[n - 1]
// the worst.
static inline void sort_times(double * ts, int n) {
    qsort(ts, (size_t) n, sizeof(double), bench_cmp_double);
}

#endif
