// exercise-adapter.h: what the adapter loader's fuzz target (fuzz_adapter_load.cpp) does with one file:
// gpt2_adapter_load on a fixed small model, and when it loads, its getters' invariants, a session with it
// set at scale 1 that evaluates two tokens, the adapter freed by the caller while the session still uses
// it, and a third token. Cheap on purpose (1 thread, 4 KV cells): the fuzzer runs it millions of times.
//
// The adapter's values are data: A and B may hold NaN or inf legally (a GGUF has no rule against them),
// and then so do the logits; what is checked is that every call returns its documented status, never
// that the logits are finite. A crash, a leak or UB is the sanitizers' to report.
//
// Header-only, C and C++ alike; the model comes from gpt2-tools.h's gpt2_write_random_model (the fuzz
// target compiles that source alone, the tests link gpt2-tools).
#pragma once

#include "exercise-model.h"
#include "gpt2.h"
#include "gpt2-tools.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

// The model every adapter input is loaded for: n_embd 32 (n_ff 128), 2 heads, 300 tokens, 8 positions,
// and the defaults' 2 layers, F32, tied output. native/fuzz/make-corpus.sh writes the seed adapters for
// the same shape.
static inline gpt2_random_model_params gpt2_exercise_adapter_model_params(void) {
    gpt2_random_model_params p = gpt2_random_model_default_params();
    p.n_vocab = 300; p.n_ctx = 8;
    p.n_embd = 32; p.n_head = 2; p.seed = 1;
    return p;
}

// Returns NULL when the file was refused with an error status and a message, or loaded and behaved;
// else the invariant it broke.
static inline const char * gpt2_exercise_adapter(gpt2_model * m, const char * path) {
    gpt2_adapter * a = gpt2_adapter_load(m, path);
    if (a == NULL) {
        return gpt2_exercise_refusal(path);
    }
    const char * broken = NULL;
#define GPT2_EXERCISE_CHECK(cond, what) do { if (!(cond) && broken == NULL) broken = (what); } while (0)

    // getters: a pair's rank is at most its matrix's smaller side, n_embd for every matrix of GPT-2 (n_ff >= n_embd)
    const int32_t n_vocab = gpt2_model_n_vocab(m), n_embd = gpt2_model_n_embd(m), n_layer = gpt2_model_n_layer(m);
    const int32_t rank = gpt2_adapter_rank(a), n_matrices = gpt2_adapter_n_matrices(a);
    GPT2_EXERCISE_CHECK(rank >= 1 && rank <= n_embd, "rank outside [1, n_embd]");
    GPT2_EXERCISE_CHECK(n_matrices >= 1 && n_matrices <= 4 * n_layer, "n_matrices outside [1, 4 n_layer]");
    const float alpha = gpt2_adapter_alpha(a);
    GPT2_EXERCISE_CHECK(isfinite(alpha) && alpha >= 0.0f, "alpha not a finite number >= 0");
    GPT2_EXERCISE_CHECK(gpt2_adapter_name(a) != NULL, "name NULL");

    gpt2_session * s = gpt2_exercise_session(m);
    GPT2_EXERCISE_CHECK(s != NULL, "session_new failed");
    if (s != NULL) {
        // the refusals first (nothing set by them), then the adapter at scale 1
        gpt2_adapter * twice[2] = { a, a };
        const float scales[2] = { 1.0f, 1.0f }, nan_scale[1] = { NAN };
        GPT2_EXERCISE_CHECK(gpt2_session_set_adapters(s, twice, scales, 2) == GPT2_ERR_INVALID_ARG, "set_adapters took one adapter twice");
        GPT2_EXERCISE_CHECK(gpt2_session_set_adapters(s, &a, nan_scale, 1) == GPT2_ERR_INVALID_ARG, "set_adapters took a NaN scale");
        GPT2_EXERCISE_CHECK(gpt2_session_set_adapters(s, &a, scales, 1) == GPT2_OK, "set_adapters failed");

        // two tokens, the first and the last id; then the caller's reference dropped (the session keeps
        // the adapter alive) and one token more
        int32_t tokens[2] = { 0, n_vocab - 1 };
        gpt2_batch b = { 2, tokens, NULL, NULL };
        gpt2_status st = gpt2_eval(s, &b);
        GPT2_EXERCISE_CHECK(st == GPT2_OK, "eval with the adapter failed");
        gpt2_adapter_free(a);
        a = NULL;
        if (st == GPT2_OK) {
            gpt2_batch b1 = { 1, tokens, NULL, NULL };
            st = gpt2_eval(s, &b1);
            GPT2_EXERCISE_CHECK(st == GPT2_OK, "eval after the adapter was freed failed");
        }
        if (st == GPT2_OK) {
            GPT2_EXERCISE_CHECK(gpt2_exercise_read_logits(s, n_vocab), "no logits after an eval");   // (A and B may be NaN)
            GPT2_EXERCISE_CHECK(gpt2_seq_length(s, 0) == 3, "sequence length after two evals");
        }
        GPT2_EXERCISE_CHECK(gpt2_session_set_adapters(s, NULL, NULL, 0) == GPT2_OK, "clearing the adapters failed");
        gpt2_session_free(s);
    }
    gpt2_adapter_free(a);  // NULL (a no-op) unless the session failed
#undef GPT2_EXERCISE_CHECK
    return broken;
}
