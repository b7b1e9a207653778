// layer-norm.cpp: nn.LayerNorm as one custom op (layer-norm.h says what it computes).
#include "layer-norm.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace {

// the op's userdata: eps, a float, in the pointer's bits
void * eps_bits(float eps) {
    uint32_t bits;
    std::memcpy(&bits, &eps, sizeof bits);
    return (void *) (uintptr_t) bits;
}
float eps_of(void * userdata) {
    const uint32_t bits = (uint32_t) (uintptr_t) userdata;
    float eps;
    std::memcpy(&eps, &bits, sizeof eps);
    return eps;
}

// The sum of term(0 .. n-1) in double, in four interleaved chains (one chain waits on each add's latency)
template <typename Term>
double sum4(int64_t n, Term term) {
    double s[4] = {};
    int64_t e = 0;
    for (; e + 4 <= n; e += 4) {
        for (int j = 0; j < 4; j++) s[j] += term(e + j);
    }
    for (; e < n; e++) s[0] += term(e);
    return (s[0] + s[1]) + (s[2] + s[3]);
}

void layer_norm_op(ggml_tensor * dst, int ith, int nth, void * userdata) {
    const ggml_tensor * x = dst->src[0];
    const float * w = (const float *) dst->src[1]->data;
    const float * b = (const float *) dst->src[2]->data;
    const float eps = eps_of(userdata);
    const int64_t E = x->ne[0];
    for (int64_t t = ith; t < x->ne[1]; t += nth) {
        const float * xt = (const float *) ((const char *) x->data + t * x->nb[1]);
        float * yt = (float *) ((char *) dst->data + t * dst->nb[1]);
        const float mean = (float) (sum4(E, [xt](int64_t e) { return (double) xt[e]; }) / (double) E);
        const double sum2 = sum4(E, [xt, mean](int64_t e) {
            const float d = xt[e] - mean;
            return (double) (d * d);
        });
        const float scale = 1.0f / std::sqrt((float) (sum2 / (double) E) + eps);
        for (int64_t e = 0; e < E; e++) yt[e] = ((xt[e] - mean) * scale) * w[e] + b[e];
    }
}

}  // namespace

bool gpt2_layer_norm_fits(const ggml_tensor * x, const ggml_tensor * w, const ggml_tensor * b) {
    const int64_t E = x->ne[0];
    const auto vec = [E](const ggml_tensor * v) {
        return v->type == GGML_TYPE_F32 && ggml_nelements(v) == E && ggml_is_contiguous(v);
    };
    return x->type == GGML_TYPE_F32 && x->ne[2] == 1 && x->ne[3] == 1 && x->nb[0] == sizeof(float) && vec(w) && vec(b);
}

ggml_tensor * gpt2_layer_norm(ggml_context * ctx, ggml_tensor * x, ggml_tensor * w, ggml_tensor * b, float eps) {
    ggml_tensor * args[3] = { x, w, b };
    return ggml_custom_4d(ctx, GGML_TYPE_F32, x->ne[0], x->ne[1], 1, 1, args, 3, layer_norm_op, GGML_N_TASKS_MAX,
                          eps_bits(eps));
}
