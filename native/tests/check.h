// check.h: the C tests' one assertion. CHECK(cond, fmt, ...) counts a pass, or counts a failure and
// prints where, the condition, the message and libgpt2's last error; a test's main ends with
// `return n_fail == 0 ? 0 : 1` after printing the counts.
#pragma once

#include "gpt2.h"

#include <stdio.h>

static int n_pass = 0, n_fail = 0;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (cond) {                                                       \
            n_pass++;                                                     \
        } else {                                                          \
            n_fail++;                                                     \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                 \
            fprintf(stderr, " (last error: %s)\n", gpt2_last_error());    \
        }                                                                 \
    } while (0)
