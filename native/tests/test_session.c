// test_session.c: the session API in C: decoding with the KV cache equals a full-prompt eval,
// batched sequences equal one-at-a-time, copy-then-diverge, truncate, captures, and every
// misuse answered with a status (never an abort).
#include "gpt2.h"
#include "gpt2-tools.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test-arrays.h"

static gpt2_session * new_session(gpt2_model * model, int n_seq, int capture) {
    gpt2_session_params sp = gpt2_session_default_params();
    sp.n_seq_max = n_seq;
    sp.n_cells = 256;
    sp.capture_attention = (uint8_t) capture;
    sp.capture_hidden = (uint8_t) capture;
    gpt2_session * s = gpt2_session_new(model, &sp);
    if (s == NULL) {
        fprintf(stderr, "gpt2_session_new: %s\n", gpt2_last_error());
        exit(1);
    }
    return s;
}

static int eval_seq(gpt2_session * s, int32_t seq, const int32_t * tokens, int n, int all_logits) {
    int32_t seqs[64];
    int8_t  logits[64];
    for (int i = 0; i < n; i++) {
        seqs[i] = seq;
        logits[i] = (int8_t) (all_logits || i == n - 1);
    }
    gpt2_batch b = { n, tokens, seqs, logits };
    return gpt2_eval(s, &b);
}

int main(void) {
    const char * tmp = getenv("GPT2_TEST_TMPDIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/test_session.gguf", tmp ? tmp : ".");

    gpt2_random_model_params rp = gpt2_random_model_default_params();
    rp.n_vocab = 300; rp.n_ctx = 64; rp.n_embd = 48; rp.n_head = 3; rp.n_layer = 2;
    rp.seed = 7; rp.scale = 0.3f;
    if (gpt2_write_random_model(path, &rp) != GPT2_OK) {
        fprintf(stderr, "%s\n", gpt2_tools_last_error());
        return 1;
    }
    gpt2_model_params mp = gpt2_model_default_params();
    mp.n_threads = 2;
    gpt2_model * model = gpt2_model_load(path, &mp);
    if (model == NULL) {
        fprintf(stderr, "gpt2_model_load: %s\n", gpt2_last_error());
        return 1;
    }
    const int V = gpt2_model_n_vocab(model);
    CHECK(V == 300, "n_vocab %d", V);
    CHECK(gpt2_model_n_layer(model) == 2 && gpt2_model_n_head(model) == 3 && gpt2_model_n_embd(model) == 48, "hparams");

    enum { N = 24 };
    int32_t prompt[N];
    for (int i = 0; i < N; i++) prompt[i] = (int32_t) ((i * 37 + 11) % (V - 1));

    // full prompt, logits at every position
    gpt2_session * full = new_session(model, 1, 1);
    CHECK(eval_seq(full, 0, prompt, N, 1) == GPT2_OK, "full eval");
    CHECK(gpt2_n_outputs(full) == N, "n_outputs %d", gpt2_n_outputs(full));
    float * ref = malloc(sizeof(float) * N * V);
    memcpy(ref, gpt2_get_logits(full), sizeof(float) * N * V);

    // KV-cache decoding, one token at a time, equals the full-prompt eval
    gpt2_session * s = new_session(model, 4, 0);
    float worst = 0.0f;
    for (int i = 0; i < N; i++) {
        CHECK(eval_seq(s, 0, prompt + i, 1, 1) == GPT2_OK, "decode %d", i);
        float d = max_abs_diff(gpt2_get_logits(s), ref + (size_t) i * V, V);
        if (d > worst) worst = d;
    }
    CHECK(worst < 1e-4f, "decode vs full: %g", worst);
    CHECK(gpt2_seq_length(s, 0) == N, "seq length %d", gpt2_seq_length(s, 0));

    // copy then diverge: seq 1 = seq 0 truncated to 12, then the prompt's own tokens again
    CHECK(gpt2_seq_copy(s, 0, 1) == GPT2_OK, "copy");
    CHECK(gpt2_kv_used_cells(s) == N, "copy shares cells: used %d", gpt2_kv_used_cells(s));
    CHECK(gpt2_seq_truncate(s, 1, 12) == GPT2_OK, "truncate");
    CHECK(eval_seq(s, 1, prompt + 12, N - 12, 1) == GPT2_OK, "re-eval after truncate");
    CHECK(max_abs_diff(gpt2_get_logits(s), ref + (size_t) 12 * V, (N - 12) * V) < 1e-4f, "truncate + re-eval equals the original");
    // seq 2 diverges from seq 0 at position 12 with other tokens; compare with a fresh session
    int32_t other[N];
    memcpy(other, prompt, sizeof(other));
    for (int i = 12; i < N; i++) other[i] = (int32_t) ((i * 13 + 5) % (V - 1));
    CHECK(gpt2_seq_copy(s, 0, 2) == GPT2_OK && gpt2_seq_truncate(s, 2, 12) == GPT2_OK, "fork");
    CHECK(eval_seq(s, 2, other + 12, N - 12, 0) == GPT2_OK, "diverge");
    float diverged[1024];
    memcpy(diverged, gpt2_get_logits(s), sizeof(float) * V);
    gpt2_session * fresh = new_session(model, 1, 0);
    CHECK(eval_seq(fresh, 0, other, N, 0) == GPT2_OK, "fresh");
    CHECK(max_abs_diff(diverged, gpt2_get_logits(fresh), V) < 1e-4f, "diverged fork equals a fresh eval: %g",
          max_abs_diff(diverged, gpt2_get_logits(fresh), V));

    // a batch of three sequences equals each evaluated alone
    gpt2_session * multi = new_session(model, 3, 0);
    int32_t toks[3 * 8], seqs[3 * 8];
    int8_t  flags[3 * 8];
    for (int i = 0; i < 24; i++) {
        toks[i] = (int32_t) ((i * 29 + 3) % (V - 1));
        seqs[i] = i % 3;  // interleaved
        flags[i] = (int8_t) (i >= 21);
    }
    gpt2_batch mb = { 24, toks, seqs, flags };
    CHECK(gpt2_eval(multi, &mb) == GPT2_OK, "multi-sequence batch");
    CHECK(gpt2_n_outputs(multi) == 3, "3 outputs");
    for (int q = 0; q < 3; q++) {
        int32_t alone[8];
        for (int i = 0; i < 8; i++) alone[i] = toks[3 * i + q];
        gpt2_session * one = new_session(model, 1, 0);
        CHECK(eval_seq(one, 0, alone, 8, 0) == GPT2_OK, "alone");
        int row = -1;
        for (int o = 0; o < 3; o++) if (gpt2_output_token_index(multi, o) == 21 + q) row = o;
        CHECK(row >= 0, "output row of seq %d", q);
        if (row >= 0) {
            float d = max_abs_diff(gpt2_get_logits(multi) + (size_t) row * V, gpt2_get_logits(one), V);
            CHECK(d < 1e-4f, "seq %d batched vs alone: %g", q, d);
        }
        gpt2_session_free(one);
    }

    // captures: attention rows sum to 1 over the visible keys, 0 past the query
    int64_t need = gpt2_get_attention(full, 1, NULL, 0);
    CHECK(need == 3LL * N * N, "attention size %lld", (long long) need);
    float * att = malloc(sizeof(float) * (size_t) need);
    CHECK(gpt2_get_attention(full, 1, att, need) == need, "attention");
    float row_err = 0.0f, future = 0.0f;
    for (int h = 0; h < 3; h++) {
        for (int t = 0; t < N; t++) {
            float sum = 0.0f;
            for (int k = 0; k < N; k++) {
                float p = att[((size_t) h * N + t) * N + k];
                sum += p;
                if (k > t && fabsf(p) > future) future = fabsf(p);
            }
            if (fabsf(sum - 1.0f) > row_err) row_err = fabsf(sum - 1.0f);
        }
    }
    CHECK(row_err < 1e-5f && future == 0.0f, "attention rows: sum err %g, future %g", row_err, future);
    CHECK(gpt2_get_hidden(full, 3, NULL, 0) == (int64_t) N * 48, "hidden after ln_f size");
    CHECK(gpt2_get_attention(s, 0, NULL, 0) == GPT2_ERR_INVALID_ARG, "no capture when off");

    // token embeddings and unembed agree: the model is tied, so lm_head(wte[i]) . e_j = wte[i] . wte[j]
    {
        float * emb = malloc(sizeof(float) * 48 * (size_t) V);
        CHECK(gpt2_model_token_embeddings(model, 0, V, emb) == GPT2_OK, "embeddings");
        float * lg = malloc(sizeof(float) * 2 * (size_t) V);
        CHECK(gpt2_model_unembed(model, emb + 48 * 7, 2, 0, lg) == GPT2_OK, "unembed rows 7, 8");
        float worst_dot = 0.0f;
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < V; j++) {
                float d = 0.0f;
                for (int e = 0; e < 48; e++) d += emb[48 * (7 + r) + e] * emb[48 * j + e];
                if (fabsf(d - lg[r * V + j]) > worst_dot) worst_dot = fabsf(d - lg[r * V + j]);
            }
        }
        CHECK(worst_dot < 1e-4f, "unembed(wte[i]) vs wte[i] . wte[j]: %g", worst_dot);
        CHECK(gpt2_model_token_embeddings(model, V - 1, 2, emb) == GPT2_ERR_INVALID_ARG, "embedding rows past the vocabulary");
        CHECK(gpt2_model_token_embeddings(model, -1, 1, emb) == GPT2_ERR_INVALID_ARG, "embedding row -1");
        CHECK(gpt2_model_unembed(model, emb, 0, 0, lg) == GPT2_ERR_INVALID_ARG, "unembed 0 rows");
        CHECK(gpt2_model_unembed(model, NULL, 1, 0, lg) == GPT2_ERR_INVALID_ARG, "unembed NULL");
        free(lg);
        free(emb);
    }

    // misuse: every bad call returns a status
    int32_t bad_tok[1] = { V };
    CHECK(eval_seq(s, 0, bad_tok, 1, 0) == GPT2_ERR_INVALID_ARG, "token id n_vocab");
    bad_tok[0] = -1;
    CHECK(eval_seq(s, 0, bad_tok, 1, 0) == GPT2_ERR_INVALID_ARG, "token id -1");
    int32_t ok_tok[1] = { 1 };
    CHECK(eval_seq(s, 4, ok_tok, 1, 0) == GPT2_ERR_INVALID_ARG, "sequence id out of range");
    CHECK(eval_seq(s, -1, ok_tok, 1, 0) == GPT2_ERR_INVALID_ARG, "sequence id -1");
    gpt2_batch empty = { 0, ok_tok, NULL, NULL };
    CHECK(gpt2_eval(s, &empty) == GPT2_ERR_INVALID_ARG, "n_tokens 0");
    gpt2_batch neg = { -3, ok_tok, NULL, NULL };
    CHECK(gpt2_eval(s, &neg) == GPT2_ERR_INVALID_ARG, "n_tokens < 0");
    gpt2_batch null_tokens = { 1, NULL, NULL, NULL };
    CHECK(gpt2_eval(s, &null_tokens) == GPT2_ERR_INVALID_ARG, "tokens NULL");
    CHECK(gpt2_eval(s, NULL) == GPT2_ERR_INVALID_ARG, "batch NULL");
    CHECK(gpt2_eval(NULL, &empty) == GPT2_ERR_INVALID_ARG, "session NULL");
    CHECK(gpt2_seq_truncate(s, 0, N + 1) == GPT2_ERR_INVALID_ARG, "truncate past length");
    CHECK(gpt2_seq_truncate(s, 0, -1) == GPT2_ERR_INVALID_ARG, "truncate negative");
    CHECK(gpt2_seq_copy(s, 0, 9) == GPT2_ERR_INVALID_ARG, "copy to unknown sequence");
    CHECK(gpt2_seq_length(s, 17) == GPT2_ERR_INVALID_ARG, "length of unknown sequence");
    CHECK(gpt2_token_text(model, V, NULL) == NULL, "token text out of range");
    CHECK(gpt2_token_bytes(model, -1, NULL, 0) == GPT2_ERR_INVALID_ARG, "token bytes out of range");
    // positions past n_ctx_train (64): fill a sequence to 64, then one more
    gpt2_session * longs = new_session(model, 1, 0);
    int32_t many[64];
    for (int i = 0; i < 64; i++) many[i] = i;
    CHECK(eval_seq(longs, 0, many, 64, 0) == GPT2_OK, "64 positions");
    CHECK(eval_seq(longs, 0, ok_tok, 1, 0) == GPT2_ERR_INVALID_ARG, "position 64 is past n_ctx_train");
    CHECK(gpt2_seq_length(longs, 0) == 64, "failed eval appends nothing");
    // a full cache answers KV_FULL and changes nothing
    gpt2_session_params small = gpt2_session_default_params();
    small.n_cells = 8; small.n_seq_max = 2;
    gpt2_session * tiny = gpt2_session_new(model, &small);
    CHECK(tiny != NULL, "small session");
    CHECK(eval_seq(tiny, 0, many, 6, 0) == GPT2_OK, "6 of 8 cells");
    CHECK(eval_seq(tiny, 1, many, 3, 0) == GPT2_ERR_KV_FULL, "3 more do not fit");
    CHECK(gpt2_kv_used_cells(tiny) == 6 && gpt2_seq_length(tiny, 1) == 0, "KV_FULL leaves the cache as it was");
    // flash attention: the same logits, whole prompt, one token at a time, and three sequences in
    // one batch (where it skips the other sequences' cells)
    gpt2_session_params fp = gpt2_session_default_params();
    fp.n_cells = 256; fp.n_seq_max = 3; fp.flash_attn = 1;
    gpt2_session * fa = gpt2_session_new(model, &fp);
    CHECK(fa != NULL, "flash-attention session");
    if (fa != NULL) {
        CHECK(eval_seq(fa, 0, prompt, N, 1) == GPT2_OK, "flash-attention full eval");
        const float fa_full = max_abs_diff(gpt2_get_logits(fa), ref, N * V);
        CHECK(fa_full < 1e-4f, "flash attention vs the softmax path, full prompt: %g", fa_full);
        float fa_decode = 0.0f;
        CHECK(gpt2_seq_clear(fa, -1) == GPT2_OK, "clear");
        for (int i = 0; i < N; i++) {
            CHECK(eval_seq(fa, 0, prompt + i, 1, 1) == GPT2_OK, "flash-attention decode %d", i);
            float d = max_abs_diff(gpt2_get_logits(fa), ref + (size_t) i * V, V);
            if (d > fa_decode) fa_decode = d;
        }
        CHECK(fa_decode < 1e-4f, "flash attention vs the softmax path, decoding: %g", fa_decode);
        CHECK(gpt2_seq_clear(fa, -1) == GPT2_OK, "clear");
        CHECK(gpt2_eval(fa, &mb) == GPT2_OK && gpt2_n_outputs(fa) == 3, "flash-attention multi-sequence batch");
        gpt2_session * soft = new_session(model, 3, 0);
        CHECK(gpt2_eval(soft, &mb) == GPT2_OK, "the same batch, softmax path");
        const float fa_multi = max_abs_diff(gpt2_get_logits(fa), gpt2_get_logits(soft), 3 * V);
        gpt2_session_free(soft);
        CHECK(fa_multi < 1e-4f, "flash attention vs the softmax path, three sequences: %g", fa_multi);
        // each sequence's cells from its share of the cache on (256 / 3 = 85 cells each), and the cells a
        // copy shares stay where they are: sequence 2 forks sequence 0, then one step holds a token of
        // sequence 0, four consecutive tokens of sequence 1 and one of the fork, read over their spans
        gpt2_session * soft3 = new_session(model, 3, 0);
        float fa_fork = 0.0f;
        for (int k = 0; k < 2; k++) {
            gpt2_session * t = k == 0 ? fa : soft3;
            CHECK(gpt2_seq_clear(t, -1) == GPT2_OK, "clear");
            CHECK(eval_seq(t, 1, prompt, 3, 0) == GPT2_OK, "sequence 1 first");
            CHECK(eval_seq(t, 0, prompt + 3, 5, 0) == GPT2_OK, "sequence 0");
            CHECK(gpt2_seq_copy(t, 0, 2) == GPT2_OK, "fork 0 into 2");
            int32_t st[6] = { prompt[8], prompt[9], prompt[10], prompt[11], prompt[12], prompt[13] };
            int32_t ss[6] = { 0, 1, 1, 1, 1, 2 };
            gpt2_batch step = { 6, st, ss, NULL };
            CHECK(gpt2_eval(t, &step) == GPT2_OK && gpt2_n_outputs(t) == 3, "mixed step");
        }
        fa_fork = max_abs_diff(gpt2_get_logits(fa), gpt2_get_logits(soft3), 3 * V);
        CHECK(fa_fork < 1e-4f, "flash attention vs the softmax path, a fork and a mixed step: %g", fa_fork);
        gpt2_session_free(soft3);
        printf("test_session: flash attention vs softmax, max |diff| full %.2g, decode %.2g, three sequences %.2g, "
               "fork and mixed step %.2g\n", fa_full, fa_decode, fa_multi, fa_fork);
        gpt2_session_free(fa);
    }

    // bad session parameters
    gpt2_session_params bad = gpt2_session_default_params();
    bad.flash_attn = 1; bad.capture_attention = 1;
    CHECK(gpt2_session_new(model, &bad) == NULL && gpt2_last_status() == GPT2_ERR_INVALID_ARG,
          "flash_attn with capture_attention");
    bad = gpt2_session_default_params();
    bad.flash_attn = 2;
    CHECK(gpt2_session_new(model, &bad) == NULL, "flash_attn 2");
    bad = gpt2_session_default_params();
    bad.matmul = 3;
    CHECK(gpt2_session_new(model, &bad) == NULL && gpt2_last_status() == GPT2_ERR_INVALID_ARG &&
              strstr(gpt2_last_error(), "matmul 3") != NULL,
          "matmul 3 is refused, by name");
    gpt2_session_params own = gpt2_session_default_params();
    CHECK(own.matmul == GPT2_MATMUL_AUTO, "AUTO by default");
    gpt2_session * auto_s = gpt2_session_new(model, &own);
    CHECK(auto_s != NULL && gpt2_session_get_params(auto_s).matmul ==
              (strcmp(gpt2_model_backend_name(model), "CPU") == 0 ? GPT2_MATMUL_LIBGPT2 : GPT2_MATMUL_GGML),
          "AUTO resolves to libgpt2's kernels on the CPU, ggml's elsewhere");
    gpt2_session_free(auto_s);
    own.matmul = GPT2_MATMUL_LIBGPT2;
    gpt2_session * own_s = gpt2_session_new(model, &own);
    CHECK(own_s != NULL && gpt2_session_get_params(own_s).matmul == GPT2_MATMUL_LIBGPT2, "libgpt2's matmul kept");
    gpt2_session_free(own_s);
    bad = gpt2_session_default_params();
    bad.n_seq_max = 0;
    CHECK(gpt2_session_new(model, &bad) == NULL, "n_seq_max 0");
    bad = gpt2_session_default_params();
    bad.kv_type = GPT2_TYPE_Q4_0;
    CHECK(gpt2_session_new(model, &bad) == NULL, "kv_type Q4_0");
    bad = gpt2_session_default_params();
    bad.n_cells = 16; bad.n_batch = 32;
    CHECK(gpt2_session_new(model, &bad) == NULL, "n_batch > n_cells");
    CHECK(gpt2_model_load(NULL, NULL) == NULL, "load NULL path");
    CHECK(gpt2_model_load("/nonexistent/model.gguf", NULL) == NULL && strstr(gpt2_last_error(), "/nonexistent/model.gguf"),
          "missing file named in the error");

    // the model outlives gpt2_model_free while a session holds it
    gpt2_model_free(model);
    CHECK(eval_seq(fresh, 0, ok_tok, 1, 0) == GPT2_OK, "session works after gpt2_model_free");

    gpt2_session_free(tiny);
    gpt2_session_free(longs);
    gpt2_session_free(multi);
    gpt2_session_free(fresh);
    gpt2_session_free(s);
    gpt2_session_free(full);
    gpt2_session_free(NULL);
    free(att);
    free(ref);
    return check_summary("test_session");
}
