// bench-clock.h: the tools' clock and the ordering of the C benchmarks' repetitions, header-only:
// the tools (gpt2-bench, gpt2-make-model, gpt2-quantize) include it from the tools library's folder,
// ci/perf/stream.c (compiled on its own) by its path.
#ifndef GPT2_BENCH_CLOCK_H
#define GPT2_BENCH_CLOCK_H

#include <stdlib.h>
#include <time.h>
#ifdef _WIN32
#    ifndef WIN32_LEAN_AND_MEAN
#        define WIN32_LEAN_AND_MEAN
#    endif
#    include <windows.h>
#endif

// Seconds on the monotonic clock (differences are what count). Windows has no clock_gettime (MSVC),
// nor timespec_get with MinGW's msvcrt: its performance counter.
static inline double now_s(void) {
#ifdef _WIN32
    LARGE_INTEGER freq, t;
    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double) t.QuadPart / (double) freq.QuadPart;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
#endif
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
