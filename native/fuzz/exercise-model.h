// exercise-model.h: what the loader's fuzz target (fuzz_model_load.cpp) and the regression test
// (native/tests/test_fuzz_regressions.c) do with one file: gpt2_model_load, and when it loads, every
// getter of the model and its vocabulary, one embedding row, and a session that evaluates two
// tokens. Cheap on purpose (1 thread, 4 KV cells): the fuzzer runs it millions of times.
//
// Header-only, C and C++ alike, linked with libgpt2 (shared or gpt2-internal).
#pragma once

#include "gpt2.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// After a load of path returned NULL: NULL when the refusal has an error status other than
// GPT2_ERR_INTERNAL and a message naming the file, else what is wrong with it.
static inline const char * gpt2_exercise_refusal(const char * path) {
    const gpt2_status st = gpt2_last_status();
    if (st == GPT2_OK || st < GPT2_ERR_INTERNAL) return "refused without an error status";
    if (st == GPT2_ERR_INTERNAL) return "refused with GPT2_ERR_INTERNAL";
    if (strstr(gpt2_last_error(), path) == NULL) return "refused with a message that does not name the file";
    return NULL;
}

// The exercises' session: 4 KV cells, 1 thread (cheap: the fuzzer makes one per input).
static inline gpt2_session * gpt2_exercise_session(gpt2_model * m) {
    gpt2_session_params sp = gpt2_session_default_params();
    sp.n_cells   = 4;
    sp.n_threads = 1;
    return gpt2_session_new(m, &sp);
}

// Whether s has its one output row after an eval; every logit of it is read (ASan checks the row is all
// there). The weights are data and may be NaN, so no value is tested.
static inline int gpt2_exercise_read_logits(const gpt2_session * s, int32_t n_vocab) {
    const float * logits = gpt2_get_logits(s);
    if (gpt2_n_outputs(s) != 1 || logits == NULL) return 0;
    volatile float sum = 0.0f;
    for (int32_t i = 0; i < n_vocab; i++) sum += logits[i];
    (void) sum;
    return 1;
}

// Returns NULL when the file was refused with an error status and a message, or loaded and behaved;
// else the invariant it broke (a crash, a leak or UB is the sanitizers' to report).
static inline const char * gpt2_exercise_model(const char * path) {
    gpt2_model_params mp = gpt2_model_default_params();
    mp.n_threads = 1;
    mp.backend   = GPT2_BACKEND_CPU;
    gpt2_model * m = gpt2_model_load(path, &mp);
    if (m == NULL) {
        return gpt2_exercise_refusal(path);
    }
    const char * broken = NULL;
#define GPT2_EXERCISE_CHECK(cond, what) do { if (!(cond) && broken == NULL) broken = (what); } while (0)

    // hyper-parameters
    const int32_t n_vocab = gpt2_model_n_vocab(m), n_embd = gpt2_model_n_embd(m);
    GPT2_EXERCISE_CHECK(n_vocab >= 1 && n_embd >= 1, "n_vocab or n_embd < 1");
    GPT2_EXERCISE_CHECK(gpt2_model_n_ctx_train(m) >= 1, "n_ctx_train < 1");
    GPT2_EXERCISE_CHECK(gpt2_model_n_head(m) >= 1 && n_embd % gpt2_model_n_head(m) == 0, "n_head does not divide n_embd");
    GPT2_EXERCISE_CHECK(gpt2_model_n_layer(m) >= 1, "n_layer < 1");
    GPT2_EXERCISE_CHECK(gpt2_model_n_ff(m) >= 1, "n_ff < 1");
    const float eps = gpt2_model_norm_eps(m);
    GPT2_EXERCISE_CHECK(eps > 0.0f && eps < 1.0f, "norm_eps outside (0, 1)");
    GPT2_EXERCISE_CHECK(gpt2_model_weight_type(m) >= 0, "weight_type < 0");
    GPT2_EXERCISE_CHECK(gpt2_model_output_tied(m) == 0 || gpt2_model_output_tied(m) == 1, "output_tied not 0 or 1");
    GPT2_EXERCISE_CHECK(gpt2_model_n_params(m) > 0 && gpt2_model_size_bytes(m) > 0, "no parameters");
    GPT2_EXERCISE_CHECK(gpt2_model_backend_name(m) != NULL && gpt2_model_name(m) != NULL, "backend name or name NULL");

    // vocabulary: every token's text, bytes (asked, then into a buffer of exactly the length, then
    // of half of it, on the heap so that ASan sees a byte past the end), type; every merge
    for (int32_t id = 0; id < n_vocab; id++) {
        int32_t len = -1;
        const char * text = gpt2_token_text(m, id, &len);
        GPT2_EXERCISE_CHECK(text != NULL && len >= 0, "token_text NULL for an id in range");
        const int32_t n = gpt2_token_bytes(m, id, NULL, 0);
        GPT2_EXERCISE_CHECK(n >= 0, "token_bytes < 0 for an id in range");
        if (n > 0) {
            uint8_t * buf = (uint8_t *) malloc((size_t) n);
            GPT2_EXERCISE_CHECK(gpt2_token_bytes(m, id, buf, n) == n, "token_bytes wrote another length");
            uint8_t * half = (uint8_t *) malloc((size_t) (n / 2 + 1));
            GPT2_EXERCISE_CHECK(gpt2_token_bytes(m, id, half, n / 2 + 1) == n, "token_bytes with a short buffer");
            GPT2_EXERCISE_CHECK(memcmp(buf, half, (size_t) (n / 2 + 1 < n ? n / 2 + 1 : n)) == 0,
                                "token_bytes with a short buffer wrote other bytes");
            free(half);
            free(buf);
        }
        (void) gpt2_token_type(m, id);
    }
    int32_t len = -1;
    GPT2_EXERCISE_CHECK(gpt2_token_text(m, n_vocab, &len) == NULL && len == 0, "token_text past the vocabulary");
    GPT2_EXERCISE_CHECK(gpt2_token_bytes(m, -1, NULL, 0) == GPT2_ERR_INVALID_ARG, "token_bytes of id -1");
    GPT2_EXERCISE_CHECK(gpt2_token_type(m, n_vocab) == GPT2_ERR_INVALID_ARG, "token_type past the vocabulary");
    const int32_t n_merges = gpt2_n_merges(m);
    GPT2_EXERCISE_CHECK(n_merges >= 0, "n_merges < 0");
    for (int32_t i = 0; i < n_merges; i++) {
        GPT2_EXERCISE_CHECK(gpt2_merge(m, i, &len) != NULL && len >= 0, "merge NULL for an index in range");
    }
    GPT2_EXERCISE_CHECK(gpt2_merge(m, n_merges, &len) == NULL, "merge past the end");
    const int32_t bos = gpt2_token_bos(m), eos = gpt2_token_eos(m);
    GPT2_EXERCISE_CHECK(bos >= -1 && bos < n_vocab && eos >= -1 && eos < n_vocab, "bos or eos out of range");

    // the last embedding row
    float * row = (float *) malloc(sizeof(float) * (size_t) n_embd);
    GPT2_EXERCISE_CHECK(gpt2_model_token_embeddings(m, n_vocab - 1, 1, row) == GPT2_OK, "token_embeddings failed");
    free(row);

    // a session: two tokens, the first and the last id
    gpt2_session * s = gpt2_exercise_session(m);
    GPT2_EXERCISE_CHECK(s != NULL, "session_new failed");
    if (s != NULL) {
        int32_t tokens[2] = { 0, n_vocab - 1 };
        gpt2_batch b = { gpt2_model_n_ctx_train(m) >= 2 ? 2 : 1, tokens, NULL, NULL };
        gpt2_status st = gpt2_eval(s, &b);
        GPT2_EXERCISE_CHECK(st == GPT2_OK, "eval failed");
        if (st == GPT2_OK) {
            GPT2_EXERCISE_CHECK(gpt2_exercise_read_logits(s, n_vocab), "no logits after an eval");
            GPT2_EXERCISE_CHECK(gpt2_seq_length(s, 0) == b.n_tokens, "sequence length after an eval");
        }
        gpt2_session_free(s);
    }
#undef GPT2_EXERCISE_CHECK
    gpt2_model_free(m);
    return broken;
}
