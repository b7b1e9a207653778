// stream: main-memory bandwidth, in the manner of McCalpin's STREAM (written for gpt2-java, not
// STREAM's code), to put a bound on token generation: each generated token reads every weight once,
// so tokens/s <= bandwidth / bytes read per token.
//
//   cc -O3 -march=native -fopenmp ci/perf/stream.c -o stream
//   ./stream [-t THREADS] [-m MiB_PER_ARRAY] [-r REPS]
//
// Kernels over arrays far larger than the caches (default 256 MiB each, 8-byte elements):
//   read   s += a[i]            8 bytes per element  (what generation does to the weights)
//   copy   c[i] = a[i]          16 bytes per element (STREAM's Copy)
//   triad  d[i] = b[i] + q*c[i] 24 bytes per element (STREAM's Triad)
// Bytes are counted as STREAM counts them: reads plus writes, not the write-allocate reads.
// Prints one line per kernel with the best, median and worst of REPS timed runs after a warm-up
// (GB = 10^9 bytes); with --json, one JSON object per kernel instead.
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../native/tools/lib/bench-clock.h"

static void usage(FILE * f) {
    fprintf(f, "usage: stream [-t THREADS] [-m MiB_PER_ARRAY] [-r REPS] [--json]\n");
}

int main(int argc, char ** argv) {
    int threads = 1, mib = 256, reps = 10, json = 0;
    for (int i = 1; i < argc; i++) {
        const char * a = argv[i];
        if (strcmp(a, "--json") == 0) { json = 1; continue; }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { usage(stdout); return 0; }
        if (i + 1 >= argc) { usage(stderr); return 2; }
        int v = atoi(argv[++i]);
        if (strcmp(a, "-t") == 0) threads = v;
        else if (strcmp(a, "-m") == 0) mib = v;
        else if (strcmp(a, "-r") == 0) reps = v;
        else { usage(stderr); return 2; }
    }
    if (threads < 1 || threads > 1024 || mib < 1 || mib > 65536 || reps < 2 || reps > 1000) {
        fprintf(stderr, "stream: need 1 <= threads <= 1024, 1 <= MiB <= 65536, 2 <= reps <= 1000\n");
        return 2;
    }
    omp_set_num_threads(threads);
    const size_t n = (size_t) mib * 1024 * 1024 / sizeof(uint64_t);
    uint64_t * a = aligned_alloc(64, n * sizeof(uint64_t));
    double * b = aligned_alloc(64, n * sizeof(double));
    double * c = aligned_alloc(64, n * sizeof(double));
    double * d = aligned_alloc(64, n * sizeof(double));
    if (!a || !b || !c || !d) {
        fprintf(stderr, "stream: cannot allocate 4 x %d MiB\n", mib);
        return 1;
    }
    // first touch by the threads that use the pages
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) {
        a[i] = i;
        b[i] = 1.0;
        c[i] = 2.0;
        d[i] = 0.0;
    }
    double * ts = malloc(sizeof(double) * (size_t) reps);
    const char * names[3] = { "read", "copy", "triad" };
    const double bytes[3] = { 8.0 * (double) n, 16.0 * (double) n, 24.0 * (double) n };
    volatile uint64_t sink = 0;  // keeps the read loop from being optimized away
    for (int k = 0; k < 3; k++) {
        for (int r = 0; r <= reps; r++) {  // r == 0: warm-up, not counted
            double t0 = now_s();
            if (k == 0) {
                uint64_t s = 0;
#pragma omp parallel for schedule(static) reduction(+ : s)
                for (size_t i = 0; i < n; i++) s += a[i];
                sink += s;
            } else if (k == 1) {
#pragma omp parallel for schedule(static)
                for (size_t i = 0; i < n; i++) c[i] = b[i];
            } else {
                const double q = 3.0;
#pragma omp parallel for schedule(static)
                for (size_t i = 0; i < n; i++) d[i] = b[i] + q * c[i];
            }
            double t = now_s() - t0;
            if (r > 0) ts[r - 1] = t;
        }
        sort_times(ts, reps);
        double best = bytes[k] / ts[0] / 1e9, median = bytes[k] / ts[reps / 2] / 1e9, worst = bytes[k] / ts[reps - 1] / 1e9;
        if (json) {
            printf("{\"kernel\":\"%s\",\"threads\":%d,\"mib_per_array\":%d,\"repetitions\":%d,"
                   "\"best_gb_s\":%.3f,\"median_gb_s\":%.3f,\"worst_gb_s\":%.3f}\n",
                   names[k], threads, mib, reps, best, median, worst);
        } else {
            printf("%-5s %d thread(s): best %.2f GB/s, median %.2f, worst %.2f\n", names[k], threads, best, median, worst);
        }
    }
    free(ts);
    free(a);
    free(b);
    free(c);
    free(d);
    return 0;
}
