// check.h: the C tests' one assertion. CHECK(cond, fmt, ...) counts a pass, or counts a failure and
// prints where, the condition, the message and libgpt2's last error (CHECK_LAST_ERROR(), which a
// test may define before including this); a test's main ends with `return check_summary("test_x")`.
#pragma once

#include "gpt2.h"

#include <stdio.h>

#ifndef CHECK_LAST_ERROR
#define CHECK_LAST_ERROR() gpt2_last_error()
#endif

static int n_pass = 0, n_fail = 0;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (cond) {                                                       \
            n_pass++;                                                     \
        } else {                                                          \
            n_fail++;                                                     \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                 \
            fprintf(stderr, " (last error: %s)\n", CHECK_LAST_ERROR());  \
        }                                                                 \
    } while (0)

// Prints the counts in the line ctest's log and CI read ("test_x: N passed, M failed") and returns
// the test's exit status.
static inline int check_summary(const char * test) {
    printf("%s: %d passed, %d failed\n", test, n_pass, n_fail);
    return n_fail == 0 ? 0 : 1;
}
