// test-arrays.h: the C tests' small helpers over logits: the largest magnitude, the largest difference,
// and one eval of a prompt with the logits of every position.
#pragma once

#include "gpt2.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

// max |a[i]| over n values (a NaN is passed over)
static inline float max_abs(const float * a, long n) {
    float m = 0.0f;
    for (long i = 0; i < n; i++) m = fmaxf(m, fabsf(a[i]));
    return m;
}

// max |a[i] - b[i]| over n values; a NaN difference makes it NaN (so no bound holds)
static inline float max_abs_diff(const float * a, const float * b, long n) {
    float m = 0.0f;
    for (long i = 0; i < n; i++) {
        const float d = fabsf(a[i] - b[i]);
        if (!(d <= m)) m = d;
    }
    return m;
}

// Evaluates prompt[0 .. n-1] (n <= 256) in a fresh sequence 0 of s (cleared first) and copies the logits of
// every position, n rows of V, into out. Returns 1, or 0 when the eval failed.
static inline int eval_every_position(gpt2_session * s, const int32_t * prompt, int32_t n, float * out, int32_t V) {
    int8_t all[256];
    if (n < 1 || n > 256) return 0;
    gpt2_seq_clear(s, 0);
    memset(all, 1, sizeof(all));
    gpt2_batch b = { n, prompt, NULL, all };
    if (gpt2_eval(s, &b) != GPT2_OK) return 0;
    memcpy(out, gpt2_get_logits(s), sizeof(float) * (size_t) n * (size_t) V);
    return 1;
}
