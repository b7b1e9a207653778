// gpt2-bench: prompt processing (pp) and generation (tg) speed of libgpt2, from C (no JVM),
// in llama-bench's spirit: tokens/s as the median, min and max of several repetitions after a
// warm-up.
//
//   gpt2-bench MODEL.gguf [-p 128] [-n 64] [-t THREADS] [-r 5] [--beams B] [--kv f32|f16] [--gelu exact|fast]
//              [--fa 0|1] [--matmul ggml|libgpt2|auto|both] [--extra-bufts 0|1] [--json]
//
// --extra-bufts 0 keeps every weight in ggml's plain layout (gpt2_model_params.use_extra_bufts).
//
// pp N: one eval of N prompt tokens (logits for the last). tg N: N evals of one token each, on a
// sequence that already holds a 1-token prompt, each computing logits (what generation does).
// With --beams B > 1, also tg N xB: N evals of B tokens, one for each of B sequences forked from the
// prompt, each with logits (a B-beam search's step), counted as B tokens per step, as
// `gpt2 bench --beams B` counts them.
// --matmul: whose kernels multiply the matrices of 1 to 64 columns (gpt2_session_params.matmul; default ggml,
// llama.cpp's, the reference of the benchmarks; auto: the library's default, libgpt2's on the CPU); both:
// one session of each, their repetitions interleaved (ggml's, then libgpt2's), and a row for each.
// Prints a Markdown table, or with --json one JSON object per test (the fields of `gpt2 bench --json`).
#include "gpt2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-clock.h"

static const char * type_name(int32_t t) {
    switch (t) {
        case GPT2_TYPE_F32:  return "F32";
        case GPT2_TYPE_F16:  return "F16";
        case GPT2_TYPE_BF16: return "BF16";
        case GPT2_TYPE_Q8_0: return "Q8_0";
        case GPT2_TYPE_Q4_0: return "Q4_0";
        case GPT2_TYPE_Q4_1: return "Q4_1";
        case GPT2_TYPE_Q5_0: return "Q5_0";
        case GPT2_TYPE_Q5_1: return "Q5_1";
        default:             return "other";
    }
}

// s as a JSON string body: quotes, backslashes and control characters escaped
static void print_json_string(const char * s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
}

static void die(const char * what) {
    fprintf(stderr, "gpt2-bench: %s: %s\n", what, gpt2_last_error());
    exit(2);
}

// One repetition: returns tokens/s of pp (n_prompt > 0) or tg (n_gen > 0) with n_seq sequences.
static double run(gpt2_session * s, int n_vocab, int n_prompt, int n_gen, int n_seq) {
    gpt2_seq_clear(s, -1);
    int n = n_prompt > n_seq ? n_prompt : n_seq;
    int32_t * toks = malloc(sizeof(int32_t) * (size_t) n);
    int32_t * seqs = malloc(sizeof(int32_t) * (size_t) n);
    for (int i = 0; i < n; i++) toks[i] = (int32_t) ((i * 7919 + 13) % (n_vocab - 1));
    double t0, t1;
    if (n_prompt > 0) {
        gpt2_batch b = { n_prompt, toks, NULL, NULL };
        t0 = now_s();
        if (gpt2_eval(s, &b) != GPT2_OK) die("eval");
        t1 = now_s();
        free(toks);
        free(seqs);
        return n_prompt / (t1 - t0);
    }
    gpt2_batch prompt = { 1, toks, NULL, NULL };
    if (gpt2_eval(s, &prompt) != GPT2_OK) die("eval");
    for (int q = 1; q < n_seq; q++) {
        if (gpt2_seq_copy(s, 0, q) != GPT2_OK) die("seq_copy");
    }
    for (int q = 0; q < n_seq; q++) seqs[q] = q;
    // logits NULL: the last token of each sequence, here every token of the batch
    gpt2_batch b = { n_seq, toks, seqs, NULL };
    t0 = now_s();
    for (int i = 0; i < n_gen; i++) {
        for (int q = 0; q < n_seq; q++) toks[q] = (int32_t) (((i * n_seq + q) * 104729 + 1) % (n_vocab - 1));
        if (gpt2_eval(s, &b) != GPT2_OK) die("eval");
    }
    t1 = now_s();
    free(toks);
    free(seqs);
    return (double) n_gen * n_seq / (t1 - t0);
}

int main(int argc, char ** argv) {
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fprintf(stderr, "usage: gpt2-bench MODEL.gguf [-p 128] [-n 64] [-t THREADS] [-r 5] [--beams B] [--kv f32|f16] [--gelu exact|fast] [--fa 0|1] [--matmul ggml|libgpt2|auto|both] [--extra-bufts 0|1] [--json]\n");
        return argc < 2 ? 2 : 0;
    }
    const char * path = argv[1];
    int n_prompt = 128, n_gen = 64, threads = 0, reps = 5, beams = 1, fa = 0, kv = GPT2_TYPE_F32, gelu = GPT2_GELU_EXACT, json = 0;
    int extra_bufts = 1;
    int n_paths = 1, first_matmul = GPT2_MATMUL_GGML;
    for (int i = 2; i < argc; i++) {
        const char * a = argv[i];
        if (strcmp(a, "--json") == 0) { json = 1; continue; }
        const char * v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v == NULL) { fprintf(stderr, "gpt2-bench: %s needs a value\n", a); return 2; }
        if (strcmp(a, "-p") == 0) n_prompt = atoi(v);
        else if (strcmp(a, "-n") == 0) n_gen = atoi(v);
        else if (strcmp(a, "-t") == 0) threads = atoi(v);
        else if (strcmp(a, "-r") == 0) reps = atoi(v);
        else if (strcmp(a, "--beams") == 0) beams = atoi(v);
        else if (strcmp(a, "--fa") == 0) fa = atoi(v) != 0;
        else if (strcmp(a, "--extra-bufts") == 0) extra_bufts = atoi(v) != 0;
        else if (strcmp(a, "--kv") == 0) kv = strcmp(v, "f16") == 0 ? GPT2_TYPE_F16 : GPT2_TYPE_F32;
        else if (strcmp(a, "--gelu") == 0) gelu = strcmp(v, "fast") == 0 ? GPT2_GELU_FAST : GPT2_GELU_EXACT;
        else if (strcmp(a, "--matmul") == 0) {
            if (strcmp(v, "ggml") == 0) first_matmul = GPT2_MATMUL_GGML;
            else if (strcmp(v, "libgpt2") == 0) first_matmul = GPT2_MATMUL_LIBGPT2;
            else if (strcmp(v, "auto") == 0) first_matmul = GPT2_MATMUL_AUTO;
            else if (strcmp(v, "both") == 0) n_paths = 2;
            else { fprintf(stderr, "gpt2-bench: --matmul is ggml, libgpt2, auto or both, not %s\n", v); return 2; }
        }
        else { fprintf(stderr, "gpt2-bench: unknown option %s\n", a); return 2; }
        i++;
    }
    if (n_prompt < 1 || n_gen < 1 || reps < 1 || reps > 1000 || beams < 1 || beams > 256) {
        fprintf(stderr, "gpt2-bench: -p, -n and -r must be positive, --beams in 1..256\n");
        return 2;
    }
    gpt2_log_set(NULL, NULL, GPT2_LOG_WARN);
    gpt2_model_params mp = gpt2_model_default_params();
    mp.n_threads = threads;
    mp.gelu = (uint8_t) gelu;
    mp.use_extra_bufts = (uint8_t) extra_bufts;
    gpt2_model * model = gpt2_model_load(path, &mp);
    if (model == NULL) die("load");
    const int n_vocab = gpt2_model_n_vocab(model);
    gpt2_session_params sp = gpt2_session_default_params();
    // as llama-bench sizes its context: n_prompt + n_gen (+1 for tg's prompt), with n_gen * beams
    // cells for the beams' tokens (the forks share the prompt's cell)
    sp.n_cells = n_prompt + n_gen * beams + 1;
    if (beams == 1 && sp.n_cells > gpt2_model_n_ctx_train(model)) sp.n_cells = gpt2_model_n_ctx_train(model);
    sp.n_seq_max = beams;
    sp.n_batch = n_prompt > beams ? n_prompt : beams;
    if (n_prompt > gpt2_model_n_ctx_train(model) || n_gen + 1 > gpt2_model_n_ctx_train(model)) {
        fprintf(stderr, "gpt2-bench: -p and -n + 1 must fit the model's context of %d\n",
                gpt2_model_n_ctx_train(model));
        return 2;
    }
    sp.kv_type = kv;
    sp.flash_attn = (uint8_t) fa;
    gpt2_session * sessions[2] = { NULL, NULL };
    int matmul[2] = { first_matmul, GPT2_MATMUL_LIBGPT2 };
    for (int k = 0; k < n_paths; k++) {
        sp.matmul = (uint8_t) matmul[k];
        sessions[k] = gpt2_session_new(model, &sp);
        if (sessions[k] == NULL) die("session");
    }
    const int used_threads = gpt2_session_get_params(sessions[0]).n_threads;

    const char * name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (!json) {
        printf("| model | type | backend | threads | matmul | test | t/s (median) | min | max |\n");
        printf("|---|---|---|---|---|---|---|---|---|\n");
    }
    double * times = malloc(sizeof(double) * (size_t) reps * 2);
    for (int test = 0; test < (beams > 1 ? 3 : 2); test++) {
        int p = test == 0 ? n_prompt : 0, g = test == 0 ? 0 : n_gen, q = test == 2 ? beams : 1;
        for (int k = 0; k < n_paths; k++) run(sessions[k], n_vocab, p, g, q);  // warm-up
        for (int r = 0; r < reps; r++) {
            for (int k = 0; k < n_paths; k++) times[k * reps + r] = run(sessions[k], n_vocab, p, g, q);
        }
        for (int k = 0; k < n_paths; k++) {
            double * ts = times + k * reps;
            const char * mm = gpt2_session_get_params(sessions[k]).matmul == GPT2_MATMUL_LIBGPT2 ? "libgpt2" : "ggml";
            sort_times(ts, reps);
            char label[48];
            if (test == 2) snprintf(label, sizeof(label), "tg %d x%d", n_gen, beams);
            else snprintf(label, sizeof(label), "%s %d", test == 0 ? "pp" : "tg", test == 0 ? n_prompt : n_gen);
            if (json) {
                printf("{\"model\":\"");
                print_json_string(name);
                printf("\",\"weights\":\"%s\",\"backend\":\"%s\",\"threads\":%d,\"test\":\"%s\","
                       "\"tokens_per_s_median\":%.3f,\"min\":%.3f,\"max\":%.3f,\"repetitions\":%d,\"matmul\":\"%s\"}\n",
                       type_name(gpt2_model_weight_type(model)), gpt2_model_backend_name(model), used_threads, label,
                       ts[reps / 2], ts[0], ts[reps - 1], reps, mm);
            } else {
                printf("| %s | %s | %s | %d | %s | %s | %.2f | %.2f | %.2f |\n", name, type_name(gpt2_model_weight_type(model)),
                       gpt2_model_backend_name(model), used_threads, mm, label, ts[reps / 2], ts[0], ts[reps - 1]);
            }
        }
    }
    free(times);
    for (int k = 0; k < n_paths; k++) gpt2_session_free(sessions[k]);
    gpt2_model_free(model);
    return 0;
}
