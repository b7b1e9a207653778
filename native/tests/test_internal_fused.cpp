// test_internal_fused.cpp: the steps libgpt2's path fuses into fewer graph nodes (GPT2_MATMUL_LIBGPT2):
// the GELU of the products' epilogue on every instruction set this CPU runs, the epilogues themselves
// (bias, GELU, residual) against the unfused product followed by the same steps, and the one-node
// LayerNorm (layer-norm.h), each against a float64 reference, with ggml's threads split as ggml splits them.
#include "layer-norm.h"
#include "matmul.h"

#include "ggml-cpp.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#define CHECK_LAST_ERROR() "(none: internal functions set none)"
#include "check.h"

namespace {

std::mt19937 rng(99);

float uniform(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); }

double gelu_exact(double x) { return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x))); }

// What a GELU output may miss the float64 formula by: the F32 steps of gpt2_gelu_tanh (a few roundings of
// x-sized values) plus tanh's error, which the 0.5 x factor scales.
double gelu_bound(double x) { return 4e-7 * std::max(1.0, std::fabs(x)); }

// Every input a decode step meets, and the edges: zero, tiny, the tails (GELU -> 0 and -> x), where
// tanh's argument leaves the clamp (|y| = 9), and non-multiples of the vector width.
std::vector<float> gelu_inputs() {
    std::vector<float> x;
    for (float v = -12.0f; v <= 12.0f; v += 0.0037f) x.push_back(v);
    for (float v : { 0.0f, -0.0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 5.6f, -5.6f, 5.7f, -5.7f, 30.0f, -30.0f, 1e4f, -1e4f }) {
        x.push_back(v);
    }
    for (int i = 0; i < 1001; i++) x.push_back(uniform(-4, 4));
    return x;
}

void gelu_matches_the_formula_on_every_isa() {
    const std::vector<float> x = gelu_inputs();
    int bad_scalar = 0;
    for (float v : x) bad_scalar += std::fabs(gpt2_gelu_tanh(v) - gelu_exact(v)) > gelu_bound(v);
    CHECK(bad_scalar == 0, "gpt2_gelu_tanh within its bound of the float64 formula (%d of %zu out)", bad_scalar, x.size());
    for (gpt2_isa isa : { GPT2_ISA_SCALAR, GPT2_ISA_AVX2, GPT2_ISA_AVX512, GPT2_ISA_NEON }) {
        if (!gpt2_isa_available(isa)) continue;
        for (size_t n : { x.size(), (size_t) 7, (size_t) 17, (size_t) 1 }) {   // vector bodies and scalar tails
            std::vector<float> y(x.begin(), x.begin() + (long) n);
            gpt2_gelu_rows(isa, y.data(), (int64_t) n);
            int bad = 0;
            double worst = 0;
            for (size_t i = 0; i < n; i++) {
                const double err = std::fabs(y[i] - gelu_exact(x[i]));
                worst = std::max(worst, err / gelu_bound(x[i]));
                bad += !(err <= gelu_bound(x[i]));
            }
            CHECK(bad == 0, "%s: GELU of %zu values within the bound (%d out, worst %.2f of it)", gpt2_isa_name(isa), n, bad,
                  worst);
        }
    }
}

// A ggml context on the CPU's memory, and a graph op run as ggml's threads run it
struct op_ctx {
    ggml_context_ptr ctx;
    explicit op_ctx(size_t bytes) {
        ggml_init_params ip = { bytes, nullptr, false };
        ctx.reset(ggml_init(ip));
    }
    ggml_tensor * f32(int64_t ne0, int64_t ne1, float lo, float hi) {
        ggml_tensor * t = ggml_new_tensor_2d(ctx.get(), GGML_TYPE_F32, ne0, ne1);
        for (int64_t i = 0; i < ne0 * ne1; i++) ((float *) t->data)[i] = uniform(lo, hi);
        return t;
    }
};

void run_custom(ggml_tensor * node, int threads) {
    struct { ggml_custom_op_t fun; int n_tasks; void * userdata; } p;   // what ggml_custom_4d stored (ggml-impl.h)
    std::memcpy(&p, node->op_params, sizeof p);
    for (int ith = 0; ith < threads; ith++) p.fun(node, ith, threads, p.userdata);
}

// Each epilogue equals the plain product followed by its steps, in F32 one at a time: the bias and the
// residual exactly (the same additions), the GELU within gelu_bound's F32 share.
void epilogues_equal_the_steps_after_the_product() {
    const int64_t K = 96, rows = 77;
    for (ggml_type t : { GGML_TYPE_F16, GGML_TYPE_Q8_0 }) {
        for (int64_t ncols : { 1, 5, 64 }) {
            for (int threads : { 1, 3 }) {
                for (int kind = 0; kind < 3; kind++) {   // bias; bias + GELU; bias + residual
                    op_ctx c(4 << 20);
                    ggml_tensor * W = ggml_new_tensor_2d(c.ctx.get(), t, K, rows);
                    std::vector<float> wf((size_t) (K * rows));
                    for (float & v : wf) v = uniform(-0.3f, 0.3f);
                    ggml_quantize_chunk(t, wf.data(), W->data, 0, rows, K, nullptr);
                    ggml_tensor * X = c.f32(K, ncols, -2, 2);
                    ggml_tensor * b = c.f32(rows, 1, -1, 1);
                    ggml_tensor * res = c.f32(rows, ncols, -3, 3);
                    const gpt2_matmul_epilogue ep{ b, kind == 1, kind == 2 ? res : nullptr };
                    CHECK(gpt2_matmul_epilogue_fits(ep, rows, ncols), "the epilogue fits");
                    ggml_tensor * plain = gpt2_matmul(c.ctx.get(), W, X);
                    ggml_tensor * fused = gpt2_matmul(c.ctx.get(), W, X, ep);
                    const int n_src = 2 + (ep.bias != nullptr) + (ep.residual != nullptr);
                    CHECK(fused->src[n_src] == nullptr && fused->src[n_src - 1] == (ep.residual ? res : b),
                          "the epilogue's tensors are the op's sources (so ggml orders them before it)");
                    if (plain->src[1] != X) run_custom(plain->src[1], threads);
                    if (fused->src[1] != X) run_custom(fused->src[1], threads);
                    run_custom(plain, threads);
                    run_custom(fused, threads);
                    int bad = 0;
                    for (int64_t col = 0; col < ncols; col++) {
                        for (int64_t r = 0; r < rows; r++) {
                            const float y = ((const float *) plain->data)[col * rows + r] + ((const float *) b->data)[r];
                            const float got = ((const float *) fused->data)[col * rows + r];
                            if (kind == 1) {
                                bad += !(std::fabs(got - gelu_exact(y)) <= gelu_bound(y));
                            } else {
                                const float want = kind == 2 ? y + ((const float *) res->data)[col * rows + r] : y;
                                bad += got != want;
                            }
                        }
                    }
                    CHECK(bad == 0, "%s x %lld columns, %d threads, epilogue %s: %d values differ", ggml_type_name(t),
                          (long long) ncols, threads, kind == 0 ? "bias" : kind == 1 ? "bias + GELU" : "bias + residual", bad);
                }
            }
        }
    }
}

void epilogues_fit_only_their_shapes() {
    op_ctx c(1 << 20);
    ggml_tensor * b = c.f32(10, 1, 0, 1);
    ggml_tensor * res = c.f32(10, 4, 0, 1);
    CHECK(gpt2_matmul_epilogue_fits({}, 10, 4), "no epilogue fits");
    CHECK(gpt2_matmul_epilogue_fits({ b, true, res }, 10, 4), "bias [10], residual [10, 4] fit 10 rows x 4 columns");
    CHECK(!gpt2_matmul_epilogue_fits({ b, false, nullptr }, 11, 4), "a bias of 10 does not fit 11 rows");
    CHECK(!gpt2_matmul_epilogue_fits({ nullptr, false, res }, 10, 3), "a residual of 4 columns does not fit 3");
    ggml_tensor * b16 = ggml_new_tensor_1d(c.ctx.get(), GGML_TYPE_F16, 10);
    CHECK(!gpt2_matmul_epilogue_fits({ b16, false, nullptr }, 10, 4), "an F16 bias does not fit");
}

// The one-node LayerNorm against float64, on columns like a residual stream's (an offset, one outlier
// dimension), for 1 and 3 threads
void layer_norm_matches_float64() {
    const int64_t E = 200;
    for (int64_t T : { 1, 7 }) {
        for (int threads : { 1, 3 }) {
            op_ctx c(1 << 20);
            ggml_tensor * x = c.f32(E, T, -3, 3);
            for (int64_t t = 0; t < T; t++) {
                float * col = (float *) x->data + t * E;
                for (int64_t e = 0; e < E; e++) col[e] += 5.0f;
                col[t % E] = 300.0f;
            }
            ggml_tensor * w = c.f32(E, 1, 0.5f, 1.5f);
            ggml_tensor * b = c.f32(E, 1, -0.5f, 0.5f);
            const float eps = 1e-5f;
            CHECK(gpt2_layer_norm_fits(x, w, b), "the layer norm fits");
            ggml_tensor * y = gpt2_layer_norm(c.ctx.get(), x, w, b, eps);
            run_custom(y, threads);
            int bad = 0;
            for (int64_t t = 0; t < T; t++) {
                const float * col = (const float *) x->data + t * E;
                double mean = 0, var = 0;
                for (int64_t e = 0; e < E; e++) mean += col[e];
                mean /= (double) E;
                for (int64_t e = 0; e < E; e++) var += (col[e] - mean) * (col[e] - mean);
                var /= (double) E;
                for (int64_t e = 0; e < E; e++) {
                    const double n = (col[e] - mean) / std::sqrt(var + eps);
                    const double want = n * ((const float *) w->data)[e] + ((const float *) b->data)[e];
                    const double got = ((const float *) y->data)[t * E + e];
                    bad += !(std::fabs(got - want) <= 1e-6 * (1.0 + std::fabs(want)));
                }
            }
            CHECK(bad == 0, "layer norm, %lld columns, %d threads: %d values off float64 by more than 1e-6", (long long) T,
                  threads, bad);
        }
    }
    op_ctx c(1 << 20);
    ggml_tensor * x = c.f32(8, 2, 0, 1);
    CHECK(!gpt2_layer_norm_fits(x, c.f32(7, 1, 0, 1), c.f32(8, 1, 0, 1)), "a weight of the wrong length does not fit");
}

}  // namespace

int main() {
    gelu_matches_the_formula_on_every_isa();
    epilogues_equal_the_steps_after_the_product();
    epilogues_fit_only_their_shapes();
    layer_norm_matches_float64();
    return check_summary("test_internal_fused");
}
