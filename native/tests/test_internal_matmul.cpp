// test_internal_matmul.cpp: libgpt2's own matrix x few-columns kernels (matmul.h) against a plain
// reference, on every instruction set this CPU runs, for F16, Q8_0 and Q4_0 weights, 1 .. 64 columns
// and odd row counts; then the graph ops (ggml custom ops, rows split among threads) the same way.
//
// The reference is a float64 sum of the dequantized weights times the activations: as they are for F16,
// quantized to Q8_0 blocks (gpt2_quantize_act) for Q8_0 and Q4_0, the rule of ggml's vec_dot. A kernel
// sums in F32, in its own order; the bound is the classic one of a float sum of n terms,
// |sum - exact| <= n u / (1 - n u) * sum |term|, u = 2^-24, with n = K + 4 (K products or block terms and
// the few roundings of the scales and the final reduction), which holds for every order.
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

std::mt19937 rng(1234);

float uniform(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); }

// activations like a layer norm's: mostly of size ~1, a few outliers, some exact zeros and ties
std::vector<float> activations(int64_t K, int64_t ncols) {
    std::vector<float> x((size_t) (K * ncols));
    for (size_t i = 0; i < x.size(); i++) {
        const float u = uniform(0, 1);
        x[i] = u < 0.02f ? uniform(-40, 40) : u < 0.04f ? 0.0f : u < 0.06f ? 0.5f * (float) (int) uniform(-6, 6) : uniform(-2, 2);
    }
    return x;
}

// A random weight matrix [K, rows] of type t, and its values dequantized (float64, row-major).
struct weights {
    ggml_type t;
    int64_t K, rows;
    size_t row_bytes;
    std::vector<uint8_t> data;
    std::vector<double> value;
};

weights random_weights(ggml_type t, int64_t K, int64_t rows) {
    weights w{ t, K, rows, ggml_row_size(t, K), {}, {} };
    w.data.resize(w.row_bytes * rows);
    w.value.resize((size_t) (K * rows));
    for (int64_t r = 0; r < rows; r++) {
        uint8_t * row = w.data.data() + r * w.row_bytes;
        double * v = w.value.data() + r * K;
        if (t == GGML_TYPE_F16) {
            for (int64_t k = 0; k < K; k++) {
                const ggml_fp16_t h = ggml_fp32_to_fp16(uniform(-1, 1) * (k % 97 == 0 ? 30.0f : 1.0f));
                std::memcpy(row + 2 * k, &h, 2);
                v[k] = ggml_fp16_to_fp32(h);
            }
        } else {
            for (int64_t b = 0; b < K / 32; b++) {
                const ggml_fp16_t d = ggml_fp32_to_fp16(uniform(0.001f, 0.05f));
                const double dd = ggml_fp16_to_fp32(d);
                if (t == GGML_TYPE_Q8_0) {
                    gpt2_block_q8_0 & blk = ((gpt2_block_q8_0 *) row)[b];
                    std::memcpy(&blk.d, &d, 2);
                    for (int i = 0; i < 32; i++) {
                        // the whole int8 range, -128 included (a file may hold it, though quantizers give -127..127)
                        blk.qs[i] = (int8_t) (i == 5 ? -128 : i == 6 ? 127 : (int) uniform(-128, 128));
                        v[b * 32 + i] = dd * blk.qs[i];
                    }
                } else {
                    gpt2_block_q4_0 & blk = ((gpt2_block_q4_0 *) row)[b];
                    std::memcpy(&blk.d, &d, 2);
                    for (int i = 0; i < 16; i++) {
                        blk.qs[i] = (uint8_t) uniform(0, 256);
                        v[b * 32 + i]      = dd * ((blk.qs[i] & 15) - 8);
                        v[b * 32 + 16 + i] = dd * ((blk.qs[i] >> 4) - 8);
                    }
                }
            }
        }
    }
    return w;
}

// the activations as the kernel reads them: F32 columns, or quantized blocks; and their values (float64)
struct acts {
    std::vector<uint8_t> data;
    size_t col_bytes;
    std::vector<double> value;
};

acts prepare(ggml_type wt, const std::vector<float> & x, int64_t K, int64_t ncols) {
    acts a;
    a.value.resize(x.size());
    if (wt == GGML_TYPE_F16) {
        a.col_bytes = (size_t) K * sizeof(float);
        a.data.resize(x.size() * sizeof(float));
        std::memcpy(a.data.data(), x.data(), a.data.size());
        for (size_t i = 0; i < x.size(); i++) a.value[i] = x[i];
        return a;
    }
    a.col_bytes = (size_t) (K / 32) * sizeof(gpt2_block_q8_act);
    a.data.resize(a.col_bytes * ncols);
    for (int64_t c = 0; c < ncols; c++) {
        gpt2_block_q8_act * blocks = (gpt2_block_q8_act *) (a.data.data() + c * a.col_bytes);
        gpt2_quantize_act(x.data() + c * K, blocks, K);
        for (int64_t b = 0; b < K / 32; b++) {
            const double d = blocks[b].d;
            for (int i = 0; i < 32; i++) a.value[c * K + b * 32 + i] = d * blocks[b].qs[i];
        }
    }
    return a;
}

// dst [ncols][rows] against the reference; returns the number of values out of bounds
int compare(const weights & w, const acts & a, int64_t ncols, const float * dst, const char * what) {
    const double u = 0x1p-24, n = (double) w.K + 4;
    const double gamma = n * u / (1 - n * u);
    int bad = 0;
    for (int64_t c = 0; c < ncols; c++) {
        for (int64_t r = 0; r < w.rows; r++) {
            double exact = 0, mag = 0;
            for (int64_t k = 0; k < w.K; k++) {
                const double t = w.value[r * w.K + k] * a.value[c * w.K + k];
                exact += t;
                mag += std::fabs(t);
            }
            const double got = dst[c * w.rows + r], err = std::fabs(got - exact);
            if (!(err <= gamma * mag) && bad++ < 3) {
                fprintf(stderr, "%s: %s K %lld rows %lld ncols %lld: row %lld col %lld: %.9g, exact %.9g, error %.3g > bound %.3g\n",
                        what, ggml_type_name(w.t), (long long) w.K, (long long) w.rows, (long long) ncols, (long long) r,
                        (long long) c, got, exact, err, gamma * mag);
            }
        }
    }
    return bad;
}

// gpt2_quantize_act: d = F16(max|x| / 127), |q| <= 127, q * d within half a step of x, ties to even
void quantizer_rounds_to_the_nearest_step() {
    const int64_t K = 32 * 64;
    std::vector<float> x = activations(K, 1);
    for (int i = 0; i < 32; i++) x[i] = 0.0f;   // an all-zero block: d 0, q 0
    std::vector<gpt2_block_q8_act> q((size_t) (K / 32));
    gpt2_quantize_act(x.data(), q.data(), K);
    int bad = 0;
    for (int64_t b = 0; b < K / 32; b++) {
        double amax = 0;
        // (std::max, not std::fmax: aarch64 GCC 12 -O3 stops with an internal error vectorizing fmax here)
        for (int i = 0; i < 32; i++) amax = std::max(amax, (double) std::fabs(x[b * 32 + i]));
        const float d = (float) (amax / 127);
        if (ggml_fp16_to_fp32(ggml_fp32_to_fp16(d)) != q[b].d) bad++;
        for (int i = 0; i < 32; i++) {
            const double step = (double) d;   // the quantizer's step (d16, what is stored, is d rounded to F16)
            const double err = std::fabs(q[b].qs[i] * step - x[b * 32 + i]);
            if (q[b].qs[i] < -127 || err > 0.5 * step * (1 + 1e-6) + 1e-30) bad++;
        }
    }
    CHECK(bad == 0, "%d quantized values off their nearest step", bad);
    CHECK(q[0].d == 0 && q[0].qs[0] == 0 && q[0].qs[31] == 0, "an all-zero block quantizes to d 0, q 0");
    // ties go to the even integer (ggml's x86-64 rule): with max|x| = 127 the step is 1
    float ties[32] = { 127.0f, 2.5f, 3.5f, -2.5f, -0.5f, 0.5f, 1.5f };
    gpt2_block_q8_act t;
    gpt2_quantize_act(ties, &t, 32);
    CHECK(t.qs[0] == 127 && t.qs[1] == 2 && t.qs[2] == 4 && t.qs[3] == -2 && t.qs[4] == 0 && t.qs[5] == 0 && t.qs[6] == 2,
          "ties to even: %d %d %d %d %d %d %d", t.qs[0], t.qs[1], t.qs[2], t.qs[3], t.qs[4], t.qs[5], t.qs[6]);
}

// every kernel of every instruction set this CPU runs, against the reference
void kernels_match_the_reference(gpt2_isa isa) {
    const ggml_type types[] = { GGML_TYPE_F16, GGML_TYPE_Q8_0, GGML_TYPE_Q4_0 };
    const int64_t row_counts[] = { 1, 3, 7, 13 };
    for (ggml_type t : types) {
        // F16: K not a multiple of the vector width too (the scalar tail)
        const std::vector<int64_t> Ks = t == GGML_TYPE_F16 ? std::vector<int64_t>{ 37, 96, 768 } : std::vector<int64_t>{ 32, 96, 768 };
        for (int64_t K : Ks) {
            for (int64_t rows : row_counts) {
                const weights w = random_weights(t, K, rows);
                int bad = 0;
                for (int64_t ncols = 1; ncols <= GPT2_MATMUL_MAX_COLS; ncols++) {
                    const std::vector<float> x = activations(K, ncols);
                    const acts a = prepare(t, x, K, ncols);
                    std::vector<float> dst((size_t) (rows * ncols), NAN);
                    gpt2_matmul_rows(isa, t, K, ncols, w.data.data(), w.row_bytes, a.data.data(), a.col_bytes, dst.data(),
                                     rows, 0, rows);
                    bad += compare(w, a, ncols, dst.data(), gpt2_isa_name(isa));
                }
                CHECK(bad == 0, "%s %s K %lld rows %lld: %d values out of bounds over ncols 1..64", gpt2_isa_name(isa),
                      ggml_type_name(t), (long long) K, (long long) rows, bad);
            }
        }
    }
}

// A part of the rows only (what one thread of the op computes): the others untouched.
void kernels_write_only_their_rows(gpt2_isa isa) {
    const int64_t K = 64, rows = 21, ncols = 5;
    for (ggml_type t : { GGML_TYPE_F16, GGML_TYPE_Q8_0, GGML_TYPE_Q4_0 }) {
        const weights w = random_weights(t, K, rows);
        const acts a = prepare(t, activations(K, ncols), K, ncols);
        std::vector<float> dst((size_t) (rows * ncols), -7.0f);
        gpt2_matmul_rows(isa, t, K, ncols, w.data.data(), w.row_bytes, a.data.data(), a.col_bytes, dst.data(), rows, 8, 19);
        int outside = 0;
        for (int64_t c = 0; c < ncols; c++) {
            for (int64_t r = 0; r < rows; r++) {
                if ((r < 8 || r >= 19) && dst[c * rows + r] != -7.0f) outside++;
                if (r >= 8 && r < 19 && dst[c * rows + r] == -7.0f) outside++;
            }
        }
        CHECK(outside == 0, "%s %s: rows 8..18 of 21 written, and only they (%d wrong)", gpt2_isa_name(isa), ggml_type_name(t),
              outside);
    }
}

// The graph ops as ggml's CPU threads run them (gpt2_matmul_run: thread ith of nth), for 1 and 3 threads
// (rows split in multiples of 8, so that the threads meet tiles and tails), over a row count like the output
// matrix's (50,257, odd) with a short K. (The CPU backend runs them with real threads in test_parity.)
void graph_ops_match_the_reference() {
    const struct { int64_t K, rows; } shapes[] = { { 96, 50257 }, { 768, 77 } };
    for (ggml_type t : { GGML_TYPE_F16, GGML_TYPE_Q8_0, GGML_TYPE_Q4_0 }) {
        for (auto sh : shapes) {
            const weights w = random_weights(t, sh.K, sh.rows);
            for (int64_t ncols : { 1, 4, 16, 64 }) {
                for (int threads : { 1, 3 }) {
                    const size_t bytes = w.data.size() + (size_t) (sh.K * ncols) * (sizeof(float) + 2) +
                                         (size_t) (sh.rows * ncols) * sizeof(float) + 16 * ggml_tensor_overhead() + 4096;
                    ggml_init_params ip = { bytes, nullptr, false };
                    ggml_context_ptr ctx{ ggml_init(ip) };
                    ggml_tensor * W = ggml_new_tensor_2d(ctx.get(), t, sh.K, sh.rows);
                    ggml_tensor * X = ggml_new_tensor_2d(ctx.get(), GGML_TYPE_F32, sh.K, ncols);
                    const bool fits = gpt2_matmul_fits(W, X);
                    CHECK(fits, "%s [%lld, %lld] x %lld columns fits", ggml_type_name(t), (long long) sh.K, (long long) sh.rows,
                          (long long) ncols);
                    if (!fits) continue;
                    ggml_tensor * Y = gpt2_matmul(ctx.get(), W, X);
                    const std::vector<float> x = activations(sh.K, ncols);
                    std::memcpy(W->data, w.data.data(), w.data.size());
                    std::memcpy(X->data, x.data(), x.size() * sizeof(float));
                    ggml_tensor * act = Y->src[1];
                    CHECK((act == X) == (t == GGML_TYPE_F16), "F16 reads the activations as they are, Q8_0/Q4_0 quantized");
                    if (act != X) for (int ith = 0; ith < threads; ith++) gpt2_matmul_run(act, ith, threads);
                    for (int ith = 0; ith < threads; ith++) gpt2_matmul_run(Y, ith, threads);
                    const int bad = compare(w, prepare(t, x, sh.K, ncols), ncols, (const float *) Y->data, "graph op");
                    CHECK(bad == 0, "graph op %s [%lld, %lld] x %lld columns, %d threads: %d values out of bounds",
                          ggml_type_name(t), (long long) sh.K, (long long) sh.rows, (long long) ncols, threads, bad);
                }
            }
        }
    }
}

// What the kernels do not take stays with ggml_mul_mat.
void fits_only_the_decode_shapes() {
    ggml_init_params ip = { 16 * ggml_tensor_overhead(), nullptr, true };
    ggml_context_ptr ctx{ ggml_init(ip) };
    ggml_context * c = ctx.get();
    ggml_tensor * w16 = ggml_new_tensor_2d(c, GGML_TYPE_F16, 64, 10);
    CHECK(gpt2_matmul_fits(w16, ggml_new_tensor_2d(c, GGML_TYPE_F32, 64, 64)), "64 columns fit");
    CHECK(!gpt2_matmul_fits(w16, ggml_new_tensor_2d(c, GGML_TYPE_F32, 64, 65)), "65 columns (a prompt) do not");
    CHECK(!gpt2_matmul_fits(w16, ggml_new_tensor_2d(c, GGML_TYPE_F32, 32, 4)), "K mismatch does not");
    CHECK(!gpt2_matmul_fits(ggml_new_tensor_2d(c, GGML_TYPE_F32, 64, 10), ggml_new_tensor_2d(c, GGML_TYPE_F32, 64, 4)),
          "F32 weights do not");
    CHECK(!gpt2_matmul_fits(ggml_new_tensor_2d(c, GGML_TYPE_Q5_0, 64, 10), ggml_new_tensor_2d(c, GGML_TYPE_F32, 64, 4)),
          "Q5_0 weights do not");
    CHECK(!gpt2_matmul_fits(w16, ggml_new_tensor_3d(c, GGML_TYPE_F32, 64, 4, 2)), "3-D activations do not");
    ggml_tensor * x = ggml_new_tensor_2d(c, GGML_TYPE_F32, 128, 4);
    CHECK(gpt2_matmul_fits(w16, ggml_view_2d(c, x, 64, 4, x->nb[1], 0)),
          "a view with contiguous rows and a row stride fits");
    CHECK(!gpt2_matmul_fits(w16, ggml_transpose(c, ggml_new_tensor_2d(c, GGML_TYPE_F32, 4, 64))),
          "transposed activations (strided rows) do not");
}

}  // namespace

int main() {
    quantizer_rounds_to_the_nearest_step();
    fits_only_the_decode_shapes();
    int n_isa = 0;
    for (gpt2_isa isa : { GPT2_ISA_SCALAR, GPT2_ISA_AVX2, GPT2_ISA_AVX512, GPT2_ISA_NEON }) {
        if (!gpt2_isa_available(isa)) {
            printf("test_internal_matmul: %s: not on this CPU\n", gpt2_isa_name(isa));
            continue;
        }
        printf("test_internal_matmul: %s\n", gpt2_isa_name(isa));
        n_isa++;
        kernels_match_the_reference(isa);
        kernels_write_only_their_rows(isa);
    }
    CHECK(n_isa >= 1, "the scalar kernels at least");
    printf("test_internal_matmul: graph ops with %s\n", gpt2_isa_name(gpt2_isa_best()));
    graph_ops_match_the_reference();
    return check_summary("test_internal_matmul");
}
