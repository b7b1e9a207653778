// test_grad.c: the training API in C: the parameter count of the documented layout, repeatable
// results, a loss-only call, the gradient against central differences of the loss, and every misuse
// answered with a status (never an abort). Its values against PyTorch are checked from Java
// (PyTorchGradientTest, on fixtures/train).
#include "gpt2-train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static float uniform(uint64_t * s) {  // xorshift64*, in [-1, 1)
    *s ^= *s >> 12; *s ^= *s << 25; *s ^= *s >> 27;
    return (float) ((*s * 2685821657736338717ULL) >> 40) / (float) (1 << 23) - 1.0f;
}

int main(void) {
    gpt2_log_set(NULL, NULL, GPT2_LOG_WARN);

    // misuse: NULL, shapes out of range
    CHECK(gpt2_grad_new(NULL) == NULL && gpt2_last_status() == GPT2_ERR_INVALID_ARG, "NULL params");
    gpt2_grad_params bad = gpt2_grad_default_params();
    bad.n_embd = 30;  // not a multiple of n_head 4
    CHECK(gpt2_grad_new(&bad) == NULL && gpt2_last_status() == GPT2_ERR_INVALID_ARG, "n_embd %% n_head");
    bad = gpt2_grad_default_params();
    bad.n_seq = bad.n_ctx + 1;
    CHECK(gpt2_grad_new(&bad) == NULL && gpt2_last_status() == GPT2_ERR_INVALID_ARG, "n_seq > n_ctx");
    bad = gpt2_grad_default_params();
    bad.n_vocab = 1;
    CHECK(gpt2_grad_new(&bad) == NULL && gpt2_last_status() == GPT2_ERR_INVALID_ARG, "n_vocab 1");
    bad = gpt2_grad_default_params();
    bad.n_layer = 0;
    CHECK(gpt2_grad_new(&bad) == NULL && gpt2_last_status() == GPT2_ERR_INVALID_ARG, "n_layer 0");
    bad = gpt2_grad_default_params();
    bad.n_vocab = 1 << 20; bad.n_batch = 64; bad.n_seq = 128;  // 2^33 logits
    CHECK(gpt2_grad_new(&bad) == NULL && gpt2_last_status() == GPT2_ERR_INVALID_ARG, "too many logits");
    CHECK(gpt2_grad_n_params(NULL) == -1, "n_params of NULL");
    gpt2_grad_free(NULL);

    // a small model: V 40, ctx 8, C 16, 2 heads, 2 layers, batch 2 x 5
    gpt2_grad_params p = gpt2_grad_default_params();
    p.n_vocab = 40; p.n_ctx = 8; p.n_embd = 16; p.n_head = 2; p.n_layer = 2; p.n_batch = 2; p.n_seq = 5;
    p.n_threads = 2;
    gpt2_grad * g = gpt2_grad_new(&p);
    CHECK(g != NULL, "gpt2_grad_new");
    if (g == NULL) return 1;
    const int64_t C = 16, V = 40, F = 64;
    const int64_t per_layer = 2 * C + 3 * C * C + 3 * C + C * C + C + 2 * C + F * C + F + C * F + C;
    const int64_t n = gpt2_grad_n_params(g);
    CHECK(n == V * C + 8 * C + 2 * per_layer + 2 * C, "n_params %lld", (long long) n);

    float * params = malloc(sizeof(float) * (size_t) n);
    float * grads  = malloc(sizeof(float) * (size_t) n);
    float * grads2 = malloc(sizeof(float) * (size_t) n);
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (int64_t i = 0; i < n; i++) params[i] = 0.3f * uniform(&seed);
    int32_t in[10], tg[10];
    for (int i = 0; i < 10; i++) { in[i] = (i * 7 + 3) % 40; tg[i] = (i * 11 + 5) % 40; }

    float loss = 0, loss2 = 0, loss_only = 0;
    CHECK(gpt2_grad_compute(g, params, in, tg, grads, &loss) == GPT2_OK, "compute");
    CHECK(isfinite(loss) && loss > 0, "loss %g", loss);
    CHECK(gpt2_grad_compute(g, params, in, tg, grads2, &loss2) == GPT2_OK, "compute again");
    CHECK(loss == loss2 && memcmp(grads, grads2, sizeof(float) * (size_t) n) == 0, "repeatable");
    CHECK(gpt2_grad_compute(g, params, in, tg, NULL, &loss_only) == GPT2_OK && loss_only == loss, "loss only");

    // the gradient against central differences of the loss, on 40 parameters spread over the array
    int n_bad = 0;
    double worst = 0;
    for (int k = 0; k < 40; k++) {
        const int64_t i = (int64_t) ((k * 2654435761ULL) % (uint64_t) n);
        const float h = 1e-2f, saved = params[i];
        float lp = 0, lm = 0;
        params[i] = saved + h;
        gpt2_grad_compute(g, params, in, tg, NULL, &lp);
        params[i] = saved - h;
        gpt2_grad_compute(g, params, in, tg, NULL, &lm);
        params[i] = saved;
        const double fd = ((double) lp - (double) lm) / (2.0 * h);
        const double err = fabs(fd - grads[i]);
        if (err > worst) worst = err;
        if (err > 1e-3 + 0.05 * fabs(fd)) {
            n_bad++;
            fprintf(stderr, "param %lld: gradient %g, central difference %g\n", (long long) i, grads[i], fd);
        }
    }
    CHECK(n_bad == 0, "%d of 40 gradients differ from the central differences", n_bad);
    printf("test_grad: loss %.6f, gradient vs central differences (h = 1e-2): worst |diff| %.2e\n", loss, worst);

    // misuse of compute
    CHECK(gpt2_grad_compute(NULL, params, in, tg, grads, &loss) == GPT2_ERR_INVALID_ARG, "NULL grad");
    CHECK(gpt2_grad_compute(g, NULL, in, tg, grads, &loss) == GPT2_ERR_INVALID_ARG, "NULL params");
    CHECK(gpt2_grad_compute(g, params, NULL, tg, grads, &loss) == GPT2_ERR_INVALID_ARG, "NULL inputs");
    CHECK(gpt2_grad_compute(g, params, in, tg, grads, NULL) == GPT2_ERR_INVALID_ARG, "NULL loss");
    in[3] = 40;
    CHECK(gpt2_grad_compute(g, params, in, tg, grads, &loss) == GPT2_ERR_INVALID_ARG, "input id 40");
    in[3] = 0; tg[9] = -1;
    CHECK(gpt2_grad_compute(g, params, in, tg, grads, &loss) == GPT2_ERR_INVALID_ARG, "target id -1");

    gpt2_grad_free(g);
    free(params);
    free(grads);
    free(grads2);
    return check_summary("test_grad");
}
