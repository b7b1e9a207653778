// test_corrupt.c: damaged model files are refused with GPT2_ERR_FORMAT (or IO) and a message
// naming the file, on one printable line of bounded length, never a crash: every truncation
// length in the header region and a spread of them in the data, a thousand multi-byte
// corruptions from a fixed seed, and token types outside 0..6. A model that loads has a token
// type in 0..6 for every token.
#include "gpt2.h"
#include "gpt2-tools.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static unsigned char * read_all(const char * path, long * n) {
    FILE * f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char * buf = malloc((size_t) *n);
    if (fread(buf, 1, (size_t) *n, f) != (size_t) *n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static void write_all(const char * path, const unsigned char * buf, long n) {
    FILE * f = fopen(path, "wb");
    if (n > 0) fwrite(buf, 1, (size_t) n, f);
    fclose(f);
}

// Longest message, not counting the file's path.
#define MAX_MESSAGE 300

// Loads the file; a model that does load must also evaluate (a flip in a weight is legal data).
static void try_load(const char * path, const char * what, int must_fail) {
    gpt2_model * m = gpt2_model_load(path, NULL);
    if (m == NULL) {
        const char * err = gpt2_last_error();
        int printable = 1;
        for (const unsigned char * c = (const unsigned char *) err; *c; c++) {
            if (*c < 0x20 || *c == 0x7F) printable = 0;
        }
        if (strstr(err, path) == NULL) {
            n_fail++;
            fprintf(stderr, "FAIL %s: the error does not name the file: %s\n", what, err);
        } else if (!printable || strlen(err) > strlen(path) + MAX_MESSAGE) {
            n_fail++;
            fprintf(stderr, "FAIL %s: the error is not one printable line of at most %d characters besides the path: %s\n",
                    what, MAX_MESSAGE, err);
        } else {
            n_pass++;
        }
        return;
    }
    for (int32_t id = 0; id < gpt2_model_n_vocab(m); id++) {
        int32_t t = gpt2_token_type(m, id);
        if (t < 0 || t > 6) {
            n_fail++;
            fprintf(stderr, "FAIL %s: token %d has type %d\n", what, id, t);
            break;
        }
    }
    if (must_fail) {
        n_fail++;
        fprintf(stderr, "FAIL %s: loaded\n", what);
    } else {
        n_pass++;
    }
    gpt2_session * s = gpt2_session_new(m, NULL);
    if (s != NULL) {
        int32_t tok[2] = { 1, 2 };
        gpt2_batch b = { 2, tok, NULL, NULL };
        gpt2_eval(s, &b);  // any status; it must not crash
        gpt2_session_free(s);
    }
    gpt2_model_free(m);
}

int main(void) {
    const char * tmp = getenv("GPT2_TEST_TMPDIR");
    char good[1024], bad[1024];
    snprintf(good, sizeof(good), "%s/test_corrupt_good.gguf", tmp ? tmp : ".");
    snprintf(bad, sizeof(bad), "%s/test_corrupt_bad.gguf", tmp ? tmp : ".");
    gpt2_log_set(NULL, NULL, GPT2_LOG_ERROR + 1);  // quiet: thousands of expected errors

    gpt2_random_model_params rp = gpt2_random_model_default_params();
    rp.n_vocab = 260; rp.n_ctx = 16; rp.n_embd = 32; rp.n_head = 2; rp.n_layer = 1;
    if (gpt2_write_random_model(good, &rp) != GPT2_OK) {
        fprintf(stderr, "%s\n", gpt2_tools_last_error());
        return 1;
    }
    long n = 0;
    unsigned char * buf = read_all(good, &n);
    if (buf == NULL) return 1;
    unsigned char * copy = malloc((size_t) n);
    char what[128];

    // truncations: every length through the metadata, then a spread through the tensor data
    for (long len = 0; len < n; len += len < 4096 ? 1 : 499) {
        write_all(bad, buf, len);
        snprintf(what, sizeof(what), "truncated to %ld of %ld bytes", len, n);
        try_load(bad, what, 1);
    }

    // corruptions: 1 to 8 random bytes set to random values (fixed seed), anywhere in the file,
    // and half of them in the first 4 KiB where the header and metadata are
    unsigned long long x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 1000; i++) {
        memcpy(copy, buf, (size_t) n);
        int k = 1 + (int) ((x >> 33) % 8);
        for (int j = 0; j < k; j++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            long at = (long) ((x >> 33) % (unsigned long long) (i % 2 ? n : (n < 4096 ? n : 4096)));
            copy[at] = (unsigned char) (x >> 13);
        }
        write_all(bad, copy, n);
        snprintf(what, sizeof(what), "corruption %d", i);
        try_load(bad, what, 0);
    }

    // token types outside llama.cpp's 0..6 in tokenizer.ggml.token_type (an array of int32 after
    // its key, type, element type and count), at the first, a middle and the last token
    const char * key = "tokenizer.ggml.token_type";
    long at = -1;
    for (long i = 0; i + (long) strlen(key) < n; i++) {
        if (memcmp(buf + i, key, strlen(key)) == 0) { at = i + (long) strlen(key) + 4 + 4 + 8; break; }
    }
    CHECK(at > 0, "the random model has %s", key);
    const int32_t bad_types[] = { -1, 7, INT32_MIN, INT32_MAX };
    const long ids[] = { 0, rp.n_vocab / 2, rp.n_vocab - 1 };
    for (size_t t = 0; at > 0 && t < sizeof(bad_types) / sizeof(bad_types[0]); t++) {
        for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
            memcpy(copy, buf, (size_t) n);
            memcpy(copy + at + 4 * ids[k], &bad_types[t], 4);  // little-endian hosts only, as GGUF
            write_all(bad, copy, n);
            snprintf(what, sizeof(what), "token type %d at %ld", bad_types[t], ids[k]);
            try_load(bad, what, 1);
            CHECK(gpt2_last_status() == GPT2_ERR_FORMAT && strstr(gpt2_last_error(), key) != NULL,
                  "%s: a format error naming %s: %s", what, key, gpt2_last_error());
        }
    }

    free(copy);
    free(buf);
    return check_summary("test_corrupt");
}
