// matmul.cpp: libgpt2's own matrix x few-columns kernels (matmul.h says what they compute).
//
// Every kernel is a tile of R rows x C columns: R weight rows are walked once, block by block, and
// each block (decoded once: F16 to F32, or Q4_0 nibbles to int8) meets the C columns while it is in
// registers. A driver covers rows r0 .. r1-1 with tiles of the kernel's full height and the rows
// left with tiles of one row, and the columns with tiles of the kernel's full width and the last
// columns with a narrower one; the weights of a row tile stay in L1/L2 while its column tiles pass.
#include "matmul.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#if defined(__GNUC__) && defined(__x86_64__)
#    define GPT2_X86 1
#    include <cpuid.h>
#    include <immintrin.h>
#endif
#if defined(__aarch64__) && defined(__ARM_NEON)
#    define GPT2_NEON 1
#    include <arm_neon.h>
#endif

namespace {

// ---------------------------------------------------------------------------------------------
// Portable pieces
// ---------------------------------------------------------------------------------------------

// IEEE half to float, exactly (every half is a float).
inline float f16_to_f32(uint16_t h) {
    const uint32_t sign = (uint32_t) (h & 0x8000u) << 16;
    const uint32_t exp  = (h >> 10) & 0x1fu;
    const uint32_t mant = h & 0x3ffu;
    if (exp == 0) {
        const float v = (float) mant * 0x1p-24f;   // zero or subnormal: mant * 2^-24, exact
        return sign ? -v : v;
    }
    const uint32_t bits = sign | (exp == 31 ? 0x7f800000u | (mant << 13) : ((exp + 112) << 23) | (mant << 13));
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

struct mm_args {
    int64_t         K, ncols;
    const uint8_t * w;       // row r at w + r * w_row
    size_t          w_row;
    const uint8_t * x;       // column c at x + c * x_col
    size_t          x_col;
    float         * dst;     // dst[c * ds + r]
    int64_t         ds;
};

// Tiles of R rows (the kernel's height) over rows r0 .. r1-1, a multiple of R, for columns c .. c+C-1.
typedef void (*tile_fn)(const mm_args & a, int64_t r0, int64_t r1, int64_t c);

// How an instruction set covers a product: tiles of one row (narrow, up to narrow_c columns wide) for a few
// columns, tiles of wide_r rows and up to wide_c columns for more. One row at a time streams the weights from
// memory as one sequential read, which measured up to 3x faster for 1 to 4 columns than four rows at once
// (four interleaved streams; AMD EPYC, the output matrix 768 x 50,257); with many columns the product is bound
// by arithmetic instead, and taller tiles load fewer activations per multiply-add.
struct tile_plan {
    int narrow_c;                 // columns of the narrow tiles
    const tile_fn * narrow;       // [n] one row, n = 1 .. narrow_c columns
    int wide_r, wide_c;
    const tile_fn * wide;         // [n] wide_r rows, n = 1 .. wide_c columns
    const tile_fn * wide_one;     // [n] one row (the rows left), n = 1 .. wide_c columns
};

// Independent chains of accumulators a tile keeps: a tile of fewer than 4 accumulators would wait on the
// latency of its multiply-adds (4 cycles) rather than on memory, so it sums alternate steps into 2 or 4 sets.
constexpr int chains(int R, int C) { return R * C >= 4 ? 1 : 4 / (R * C); }

// The narrow tiles up to this many columns (a decode step of up to 8 sequences)
constexpr int64_t NARROW_COLS = 8;

// Rows r0 .. r1-1, all columns: full[n] runs tiles of R rows and n columns (n = 1 .. C), one[n] tiles of one row.
// With more columns than C, the rows go in blocks of about 64 KiB of weights, which stay in L2 while the tiles
// of the next columns read them again.
void drive(const mm_args & a, int64_t r0, int64_t r1, int R, int C, const tile_fn * full, const tile_fn * one) {
    const int64_t rn = r0 + (r1 - r0) / R * R;
    const int64_t block = a.ncols <= C ? std::max<int64_t>(rn - r0, R)
                                       : std::max<int64_t>(R, (int64_t) (65536 / a.w_row) / R * R);
    for (int64_t b = r0; b < rn; b += block) {
        const int64_t e = std::min(rn, b + block);
        for (int64_t c = 0; c < a.ncols; ) {
            const int n = (int) std::min<int64_t>(C, a.ncols - c);
            full[n](a, b, e, c);
            c += n;
        }
    }
    if (rn == r1) return;
    for (int64_t c = 0; c < a.ncols; ) {
        const int n = (int) std::min<int64_t>(C, a.ncols - c);
        one[n](a, rn, r1, c);
        c += n;
    }
}

// Scalar kernels: a tile of one row and up to SC columns; the weight is decoded once for them all.
constexpr int SC = 8;

template <int C>
inline __attribute__((always_inline)) void f16_scalar(const mm_args & a, int64_t r, int64_t c0) {
    const uint16_t * w = (const uint16_t *) (a.w + r * a.w_row);
    const float * x[C];
    for (int j = 0; j < C; j++) x[j] = (const float *) (a.x + (c0 + j) * a.x_col);
    float acc[C] = {};
    for (int64_t k = 0; k < a.K; k++) {
        const float wk = f16_to_f32(w[k]);
        for (int j = 0; j < C; j++) acc[j] += wk * x[j][k];
    }
    for (int j = 0; j < C; j++) a.dst[(c0 + j) * a.ds + r] = acc[j];
}

// 32 int8 weights of block b of a Q8_0 or Q4_0 row, and its scale
inline float q8_0_block(const uint8_t * row, int64_t b, int8_t q[32]) {
    const gpt2_block_q8_0 & blk = ((const gpt2_block_q8_0 *) row)[b];
    std::memcpy(q, blk.qs, 32);
    return f16_to_f32(blk.d);
}
inline float q4_0_block(const uint8_t * row, int64_t b, int8_t q[32]) {
    const gpt2_block_q4_0 & blk = ((const gpt2_block_q4_0 *) row)[b];
    for (int i = 0; i < 16; i++) {
        q[i]      = (int8_t) ((blk.qs[i] & 15) - 8);
        q[i + 16] = (int8_t) ((blk.qs[i] >> 4) - 8);
    }
    return f16_to_f32(blk.d);
}

template <int C, float (*block)(const uint8_t *, int64_t, int8_t *)>
inline __attribute__((always_inline)) void quant_scalar(const mm_args & a, int64_t r, int64_t c0) {
    const uint8_t * w = a.w + r * a.w_row;
    const gpt2_block_q8_act * x[C];
    for (int j = 0; j < C; j++) x[j] = (const gpt2_block_q8_act *) (a.x + (c0 + j) * a.x_col);
    float acc[C] = {};
    int8_t q[32];
    for (int64_t b = 0; b < a.K / 32; b++) {
        const float dw = block(w, b, q);
        for (int j = 0; j < C; j++) {
            int32_t sum = 0;
            for (int i = 0; i < 32; i++) sum += (int32_t) q[i] * x[j][b].qs[i];
            acc[j] += dw * x[j][b].d * (float) sum;
        }
    }
    for (int j = 0; j < C; j++) a.dst[(c0 + j) * a.ds + r] = acc[j];
}

// The tiles over rows r0 .. r1-1 (a multiple of the tile's height), one call for them all
template <int C>
void f16_scalar_rows(const mm_args & a, int64_t r0, int64_t r1, int64_t c0) {
    for (int64_t r = r0; r < r1; r++) f16_scalar<C>(a, r, c0);
}
template <int C, float (*block)(const uint8_t *, int64_t, int8_t *)>
void quant_scalar_rows(const mm_args & a, int64_t r0, int64_t r1, int64_t c0) {
    for (int64_t r = r0; r < r1; r++) quant_scalar<C, block>(a, r, c0);
}

const tile_fn f16_scalar_tiles[SC + 1] = { nullptr, f16_scalar_rows<1>, f16_scalar_rows<2>, f16_scalar_rows<3>,
                                           f16_scalar_rows<4>, f16_scalar_rows<5>, f16_scalar_rows<6>,
                                           f16_scalar_rows<7>, f16_scalar_rows<8> };
#define GPT2_Q_SCALAR(block) { nullptr, quant_scalar_rows<1, block>, quant_scalar_rows<2, block>,                   \
                               quant_scalar_rows<3, block>, quant_scalar_rows<4, block>, quant_scalar_rows<5, block>, \
                               quant_scalar_rows<6, block>, quant_scalar_rows<7, block>, quant_scalar_rows<8, block> }
const tile_fn q8_0_scalar_tiles[SC + 1] = GPT2_Q_SCALAR(q8_0_block);
const tile_fn q4_0_scalar_tiles[SC + 1] = GPT2_Q_SCALAR(q4_0_block);
#undef GPT2_Q_SCALAR

// The tiles of a kernel of 4 (8) columns at most, R rows high
#define GPT2_F16_TILES(kernel, R) { nullptr, kernel<R, 1>, kernel<R, 2>, kernel<R, 3>, kernel<R, 4> }
#define GPT2_F16_TILES_8(kernel, R) { nullptr, kernel<R, 1>, kernel<R, 2>, kernel<R, 3>, kernel<R, 4>, kernel<R, 5>, \
                                      kernel<R, 6>, kernel<R, 7>, kernel<R, 8> }
#define GPT2_Q_TILES(kernel, R, block) { nullptr, kernel<R, 1, block>, kernel<R, 2, block>, kernel<R, 3, block>, \
                                         kernel<R, 4, block> }
#define GPT2_Q_TILES_8(kernel, R, block) { nullptr, kernel<R, 1, block>, kernel<R, 2, block>, kernel<R, 3, block>, \
                                           kernel<R, 4, block>, kernel<R, 5, block>, kernel<R, 6, block>,         \
                                           kernel<R, 7, block>, kernel<R, 8, block> }

// ---------------------------------------------------------------------------------------------
// x86-64: AVX2 + FMA + F16C
// ---------------------------------------------------------------------------------------------

#ifdef GPT2_X86
#define GPT2_AVX2 __attribute__((target("avx2,fma,f16c")))

GPT2_AVX2 inline float hsum_avx2(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// The sums of a tile's R x C accumulators into out (row-major), four at a time where it can: a K of 128
// (n_embd of a small GPT-2) is only 4 blocks or 16 steps, and one sum at a time cost as much as the loop.
template <int R, int C>
GPT2_AVX2 inline void hsum_tile_avx2(const __m256 (&acc)[R][C], float (&out)[R][C]) {
    const __m256 * v = &acc[0][0];
    float * o = &out[0][0];
    int n = 0;
    for (; n + 4 <= R * C; n += 4) {
        const __m256 ab = _mm256_hadd_ps(v[n], v[n + 1]), cd = _mm256_hadd_ps(v[n + 2], v[n + 3]);
        const __m256 abcd = _mm256_hadd_ps(ab, cd);   // [a b c d] of each 128-bit half
        _mm_storeu_ps(o + n, _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1)));
    }
    for (; n < R * C; n++) o[n] = hsum_avx2(v[n]);
}

// 8 values of each row times 8 of each column
template <int R, int C>
GPT2_AVX2 inline __attribute__((always_inline)) void f16_step_avx2(const uint16_t * const (&w)[R],
                                                                   const float * const (&x)[C],
                                                                   int64_t k, __m256 (&acc)[R][C]) {
    __m256 wv[R];
    for (int i = 0; i < R; i++) wv[i] = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) (w[i] + k)));
    for (int j = 0; j < C; j++) {
        const __m256 xv = _mm256_loadu_ps(x[j] + k);
        for (int i = 0; i < R; i++) acc[i][j] = _mm256_fmadd_ps(wv[i], xv, acc[i][j]);
    }
}

// F16: 8 values a step; the last K % 8 in scalar
template <int R, int C>
GPT2_AVX2 inline __attribute__((always_inline)) void f16_avx2(const mm_args & a, int64_t r, int64_t c0) {
    const uint16_t * w[R];
    const float * x[C];
    for (int i = 0; i < R; i++) w[i] = (const uint16_t *) (a.w + (r + i) * a.w_row);
    for (int j = 0; j < C; j++) x[j] = (const float *) (a.x + (c0 + j) * a.x_col);
    constexpr int U = chains(R, C);
    __m256 accs[U][R][C];
    for (int u = 0; u < U; u++) {
        for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) accs[u][i][j] = _mm256_setzero_ps();
    }
    int64_t k = 0;
    for (; k + 8 * U <= a.K; k += 8 * U) {
        for (int u = 0; u < U; u++) f16_step_avx2<R, C>(w, x, k + 8 * u, accs[u]);
    }
    for (; k + 8 <= a.K; k += 8) f16_step_avx2<R, C>(w, x, k, accs[0]);
    __m256 (&acc)[R][C] = accs[0];
    for (int u = 1; u < U; u++) {
        for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) acc[i][j] = _mm256_add_ps(acc[i][j], accs[u][i][j]);
    }
    float sum[R][C];
    hsum_tile_avx2<R, C>(acc, sum);
    for (int i = 0; i < R; i++) {
        for (int j = 0; j < C; j++) {
            float s = sum[i][j];
            for (int64_t t = k; t < a.K; t++) s += f16_to_f32(w[i][t]) * x[j][t];
            a.dst[(c0 + j) * a.ds + r + i] = s;
        }
    }
}

// 32 int8 weights of a Q8_0 or Q4_0 block in a register
GPT2_AVX2 inline __m256i q8_0_avx2(const uint8_t * row, int64_t b, float & d) {
    const gpt2_block_q8_0 & blk = ((const gpt2_block_q8_0 *) row)[b];
    d = _cvtsh_ss(blk.d);
    return _mm256_loadu_si256((const __m256i *) blk.qs);
}
GPT2_AVX2 inline __m256i q4_0_avx2(const uint8_t * row, int64_t b, float & d) {
    const gpt2_block_q4_0 & blk = ((const gpt2_block_q4_0 *) row)[b];
    d = _cvtsh_ss(blk.d);
    const __m128i q  = _mm_loadu_si128((const __m128i *) blk.qs);
    const __m128i lo = _mm_and_si128(q, _mm_set1_epi8(15));
    const __m128i hi = _mm_and_si128(_mm_srli_epi16(q, 4), _mm_set1_epi8(15));
    return _mm256_sub_epi8(_mm256_set_m128i(hi, lo), _mm256_set1_epi8(8));
}

// Q8_0 / Q4_0 weights x Q8_0 activations: |w| (unsigned) times x with w's sign, pairs summed to int16
// (at most 2 * 128 * 127, no saturation), then to int32, then scaled in F32.
// block b of each row times block b of each column
template <int R, int C, __m256i (*block)(const uint8_t *, int64_t, float &)>
GPT2_AVX2 inline __attribute__((always_inline)) void quant_step_avx2(const uint8_t * const (&w)[R],
                                                                     const gpt2_block_q8_act * const (&x)[C], int64_t b,
                                                                     __m256 (&acc)[R][C]) {
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i wq[R], wa[R];
    float dw[R];
    for (int i = 0; i < R; i++) {
        wq[i] = block(w[i], b, dw[i]);
        wa[i] = _mm256_sign_epi8(wq[i], wq[i]);
    }
    for (int j = 0; j < C; j++) {
        const __m256i xq = _mm256_loadu_si256((const __m256i *) x[j][b].qs);
        const float   dx = x[j][b].d;
        for (int i = 0; i < R; i++) {
            const __m256i p = _mm256_madd_epi16(_mm256_maddubs_epi16(wa[i], _mm256_sign_epi8(xq, wq[i])), ones);
            acc[i][j] = _mm256_fmadd_ps(_mm256_set1_ps(dw[i] * dx), _mm256_cvtepi32_ps(p), acc[i][j]);
        }
    }
}

template <int R, int C, __m256i (*block)(const uint8_t *, int64_t, float &)>
GPT2_AVX2 inline __attribute__((always_inline)) void quant_avx2(const mm_args & a, int64_t r, int64_t c0) {
    const uint8_t * w[R];
    const gpt2_block_q8_act * x[C];
    for (int i = 0; i < R; i++) w[i] = a.w + (r + i) * a.w_row;
    for (int j = 0; j < C; j++) x[j] = (const gpt2_block_q8_act *) (a.x + (c0 + j) * a.x_col);
    constexpr int U = chains(R, C);
    __m256 accs[U][R][C];
    for (int u = 0; u < U; u++) {
        for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) accs[u][i][j] = _mm256_setzero_ps();
    }
    const int64_t nb = a.K / 32;
    int64_t b = 0;
    for (; b + U <= nb; b += U) {
        for (int u = 0; u < U; u++) quant_step_avx2<R, C, block>(w, x, b + u, accs[u]);
    }
    for (; b < nb; b++) quant_step_avx2<R, C, block>(w, x, b, accs[0]);
    __m256 (&acc)[R][C] = accs[0];
    for (int u = 1; u < U; u++) {
        for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) acc[i][j] = _mm256_add_ps(acc[i][j], accs[u][i][j]);
    }
    float sum[R][C];
    hsum_tile_avx2<R, C>(acc, sum);
    for (int i = 0; i < R; i++) {
        for (int j = 0; j < C; j++) a.dst[(c0 + j) * a.ds + r + i] = sum[i][j];
    }
}

template <int R, int C>
GPT2_AVX2 void f16_avx2_rows(const mm_args & a, int64_t r0, int64_t r1, int64_t c0) {
    for (int64_t r = r0; r < r1; r += R) f16_avx2<R, C>(a, r, c0);
}
template <int R, int C, __m256i (*block)(const uint8_t *, int64_t, float &)>
GPT2_AVX2 void quant_avx2_rows(const mm_args & a, int64_t r0, int64_t r1, int64_t c0) {
    for (int64_t r = r0; r < r1; r += R) quant_avx2<R, C, block>(a, r, c0);
}

constexpr int AVX2_R = 4, AVX2_C = 2;
const tile_fn f16_avx2_full[AVX2_C + 1] = { nullptr, f16_avx2_rows<AVX2_R, 1>, f16_avx2_rows<AVX2_R, 2> };
const tile_fn f16_avx2_one[AVX2_C + 1]  = { nullptr, f16_avx2_rows<1, 1>, f16_avx2_rows<1, 2> };
const tile_fn f16_avx2_narrow[5]        = GPT2_F16_TILES(f16_avx2_rows, 1);
constexpr int AVX2_QR = 2, AVX2_QC = 4;
const tile_fn q8_0_avx2_full[AVX2_QC + 1] = GPT2_Q_TILES(quant_avx2_rows, AVX2_QR, q8_0_avx2);
const tile_fn q8_0_avx2_one[AVX2_QC + 1]  = GPT2_Q_TILES(quant_avx2_rows, 1, q8_0_avx2);
const tile_fn q4_0_avx2_full[AVX2_QC + 1] = GPT2_Q_TILES(quant_avx2_rows, AVX2_QR, q4_0_avx2);
const tile_fn q4_0_avx2_one[AVX2_QC + 1]  = GPT2_Q_TILES(quant_avx2_rows, 1, q4_0_avx2);
const tile_plan avx2_plans[3] = {
    { 4, f16_avx2_narrow, AVX2_R, AVX2_C, f16_avx2_full, f16_avx2_one },
    { 4, q8_0_avx2_one, AVX2_QR, AVX2_QC, q8_0_avx2_full, q8_0_avx2_one },
    { 4, q4_0_avx2_one, AVX2_QR, AVX2_QC, q4_0_avx2_full, q4_0_avx2_one },
};

// ---------------------------------------------------------------------------------------------
// x86-64: AVX-512 (F16 in 16 lanes; Q8_0 / Q4_0 with VNNI's u8 x s8 dot product, 8 lanes)
// ---------------------------------------------------------------------------------------------

#define GPT2_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c")))

// (the maskz_ forms: the plain ones, and _mm512_reduce_add_ps, make GCC 12 warn of an uninitialized value
// in its own header)
GPT2_AVX512 inline __m256 fold_avx512(__m512 v) {   // lanes i + lanes 8 + i
    const __m256 lo = _mm256_castpd_ps(_mm512_maskz_extractf64x4_pd(0xff, _mm512_castps_pd(v), 0));
    const __m256 hi = _mm256_castpd_ps(_mm512_maskz_extractf64x4_pd(0xff, _mm512_castps_pd(v), 1));
    return _mm256_add_ps(lo, hi);
}

// 16 values of each row times 16 of each column
template <int R, int C>
GPT2_AVX512 inline __attribute__((always_inline)) void f16_step_avx512(const uint16_t * const (&w)[R],
                                                                       const float * const (&x)[C], int64_t k,
                                                                       __m512 (&acc)[R][C]) {
    __m512 wv[R];
    for (int i = 0; i < R; i++) wv[i] = _mm512_maskz_cvtph_ps(0xffff, _mm256_loadu_si256((const __m256i *) (w[i] + k)));
    for (int j = 0; j < C; j++) {
        const __m512 xv = _mm512_loadu_ps(x[j] + k);
        for (int i = 0; i < R; i++) acc[i][j] = _mm512_fmadd_ps(wv[i], xv, acc[i][j]);
    }
}

template <int R, int C>
GPT2_AVX512 inline __attribute__((always_inline)) void f16_avx512(const mm_args & a, int64_t r, int64_t c0) {
    const uint16_t * w[R];
    const float * x[C];
    for (int i = 0; i < R; i++) w[i] = (const uint16_t *) (a.w + (r + i) * a.w_row);
    for (int j = 0; j < C; j++) x[j] = (const float *) (a.x + (c0 + j) * a.x_col);
    constexpr int U = chains(R, C);
    __m512 accs[U][R][C];
    for (int u = 0; u < U; u++) {
        for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) accs[u][i][j] = _mm512_setzero_ps();
    }
    int64_t k = 0;
    for (; k + 16 * U <= a.K; k += 16 * U) {
        for (int u = 0; u < U; u++) f16_step_avx512<R, C>(w, x, k + 16 * u, accs[u]);
    }
    for (; k + 16 <= a.K; k += 16) f16_step_avx512<R, C>(w, x, k, accs[0]);
    __m512 (&acc)[R][C] = accs[0];
    for (int u = 1; u < U; u++) {
        for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) acc[i][j] = _mm512_add_ps(acc[i][j], accs[u][i][j]);
    }
    __m256 half[R][C];
    for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) half[i][j] = fold_avx512(acc[i][j]);
    float sum[R][C];
    hsum_tile_avx2<R, C>(half, sum);
    for (int i = 0; i < R; i++) {
        for (int j = 0; j < C; j++) {
            float s = sum[i][j];
            for (int64_t t = k; t < a.K; t++) s += f16_to_f32(w[i][t]) * x[j][t];
            a.dst[(c0 + j) * a.ds + r + i] = s;
        }
    }
}

GPT2_AVX512 inline __m256i q8_0_avx512(const uint8_t * row, int64_t b, float & d) {
    const gpt2_block_q8_0 & blk = ((const gpt2_block_q8_0 *) row)[b];
    d = _cvtsh_ss(blk.d);
    return _mm256_loadu_si256((const __m256i *) blk.qs);
}
GPT2_AVX512 inline __m256i q4_0_avx512(const uint8_t * row, int64_t b, float & d) {
    const gpt2_block_q4_0 & blk = ((const gpt2_block_q4_0 *) row)[b];
    d = _cvtsh_ss(blk.d);
    const __m128i q  = _mm_loadu_si128((const __m128i *) blk.qs);
    const __m128i lo = _mm_and_si128(q, _mm_set1_epi8(15));
    const __m128i hi = _mm_and_si128(_mm_srli_epi16(q, 4), _mm_set1_epi8(15));
    return _mm256_sub_epi8(_mm256_set_m128i(hi, lo), _mm256_set1_epi8(8));
}

// VNNI multiplies unsigned by signed bytes: x + 128 (x xor 0x80) times w, and the excess, 128 * sum(w)
// of each group of 4, is the accumulator's starting value with its sign turned, once per weight block.
// block b of each row times block b of each column
template <int R, int C, __m256i (*block)(const uint8_t *, int64_t, float &)>
GPT2_AVX512 inline __attribute__((always_inline)) void quant_step_avx512(const uint8_t * const (&w)[R],
                                                                         const gpt2_block_q8_act * const (&x)[C],
                                                                         int64_t b, __m256 (&acc)[R][C]) {
    const __m256i k80 = _mm256_set1_epi8((char) 0x80);
    const __m256i zero = _mm256_setzero_si256();
    __m256i wq[R], excess[R];
    float dw[R];
    for (int i = 0; i < R; i++) {
        wq[i] = block(w[i], b, dw[i]);
        excess[i] = _mm256_sub_epi32(zero, _mm256_dpbusd_epi32(zero, k80, wq[i]));
    }
    for (int j = 0; j < C; j++) {
        const __m256i xu = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *) x[j][b].qs), k80);
        const float   dx = x[j][b].d;
        for (int i = 0; i < R; i++) {
            const __m256i p = _mm256_dpbusd_epi32(excess[i], xu, wq[i]);
            acc[i][j] = _mm256_fmadd_ps(_mm256_set1_ps(dw[i] * dx), _mm256_cvtepi32_ps(p), acc[i][j]);
        }
    }
}

template <int R, int C, __m256i (*block)(const uint8_t *, int64_t, float &)>
GPT2_AVX512 inline __attribute__((always_inline)) void quant_avx512(const mm_args & a, int64_t r, int64_t c0) {
    const uint8_t * w[R];
    const gpt2_block_q8_act * x[C];
    for (int i = 0; i < R; i++) w[i] = a.w + (r + i) * a.w_row;
    for (int j = 0; j < C; j++) x[j] = (const gpt2_block_q8_act *) (a.x + (c0 + j) * a.x_col);
    constexpr int U = chains(R, C);
    __m256 accs[U][R][C];
    for (int u = 0; u < U; u++) {
        for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) accs[u][i][j] = _mm256_setzero_ps();
    }
    const int64_t nb = a.K / 32;
    int64_t b = 0;
    for (; b + U <= nb; b += U) {
        for (int u = 0; u < U; u++) quant_step_avx512<R, C, block>(w, x, b + u, accs[u]);
    }
    for (; b < nb; b++) quant_step_avx512<R, C, block>(w, x, b, accs[0]);
    __m256 (&acc)[R][C] = accs[0];
    for (int u = 1; u < U; u++) {
        for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) acc[i][j] = _mm256_add_ps(acc[i][j], accs[u][i][j]);
    }
    float sum[R][C];
    hsum_tile_avx2<R, C>(acc, sum);
    for (int i = 0; i < R; i++) {
        for (int j = 0; j < C; j++) a.dst[(c0 + j) * a.ds + r + i] = sum[i][j];
    }
}

template <int R, int C>
GPT2_AVX512 void f16_avx512_rows(const mm_args & a, int64_t r0, int64_t r1, int64_t c0) {
    for (int64_t r = r0; r < r1; r += R) f16_avx512<R, C>(a, r, c0);
}
template <int R, int C, __m256i (*block)(const uint8_t *, int64_t, float &)>
GPT2_AVX512 void quant_avx512_rows(const mm_args & a, int64_t r0, int64_t r1, int64_t c0) {
    for (int64_t r = r0; r < r1; r += R) quant_avx512<R, C, block>(a, r, c0);
}

constexpr int AVX512_R = 4, AVX512_C = 4;
const tile_fn f16_avx512_full[AVX512_C + 1] = GPT2_F16_TILES(f16_avx512_rows, AVX512_R);
const tile_fn f16_avx512_one[AVX512_C + 1]  = GPT2_F16_TILES(f16_avx512_rows, 1);
const tile_fn q8_0_avx512_full[AVX512_C + 1] = GPT2_Q_TILES(quant_avx512_rows, AVX512_R, q8_0_avx512);
const tile_fn q8_0_avx512_one[AVX512_C + 1]  = GPT2_Q_TILES(quant_avx512_rows, 1, q8_0_avx512);
const tile_fn q4_0_avx512_full[AVX512_C + 1] = GPT2_Q_TILES(quant_avx512_rows, AVX512_R, q4_0_avx512);
const tile_fn q4_0_avx512_one[AVX512_C + 1]  = GPT2_Q_TILES(quant_avx512_rows, 1, q4_0_avx512);
// One column (a greedy step) of F16 takes AVX2's tile: measured on this AMD EPYC (GPT-2 124M's shape, one thread,
// busy machine), the 16-lane tile gave 0.83-0.93x ggml's tokens/s, the 8-lane one 1.01x; with 2 to 16 columns the
// 16 lanes win (4 columns: 1.17x against 1.01x).
const tile_fn f16_avx512_narrow[9] = { nullptr, f16_avx2_rows<1, 1>, f16_avx512_rows<1, 2>, f16_avx512_rows<1, 3>,
                                       f16_avx512_rows<1, 4>, f16_avx512_rows<1, 5>, f16_avx512_rows<1, 6>,
                                       f16_avx512_rows<1, 7>, f16_avx512_rows<1, 8> };
const tile_fn q8_0_avx512_narrow[9] = GPT2_Q_TILES_8(quant_avx512_rows, 1, q8_0_avx512);
const tile_fn q4_0_avx512_narrow[9] = GPT2_Q_TILES_8(quant_avx512_rows, 1, q4_0_avx512);
const tile_plan avx512_plans[3] = {
    { 8, f16_avx512_narrow, AVX512_R, AVX512_C, f16_avx512_full, f16_avx512_one },
    { 8, q8_0_avx512_narrow, AVX512_R, AVX512_C, q8_0_avx512_full, q8_0_avx512_one },
    { 8, q4_0_avx512_narrow, AVX512_R, AVX512_C, q4_0_avx512_full, q4_0_avx512_one },
};

#endif  // GPT2_X86

// ---------------------------------------------------------------------------------------------
// arm64: NEON (baseline Advanced SIMD: no dot-product extension needed)
// ---------------------------------------------------------------------------------------------

#ifdef GPT2_NEON
template <int R, int C>
inline __attribute__((always_inline)) void f16_neon(const mm_args & a, int64_t r, int64_t c0) {
    const uint16_t * w[R];
    const float * x[C];
    for (int i = 0; i < R; i++) w[i] = (const uint16_t *) (a.w + (r + i) * a.w_row);
    for (int j = 0; j < C; j++) x[j] = (const float *) (a.x + (c0 + j) * a.x_col);
    float32x4_t acc[R][C];
    for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) acc[i][j] = vdupq_n_f32(0.0f);
    int64_t k = 0;
    for (; k + 8 <= a.K; k += 8) {
        float32x4_t lo[R], hi[R];
        for (int i = 0; i < R; i++) {
            const float16x8_t h = vreinterpretq_f16_u16(vld1q_u16(w[i] + k));
            lo[i] = vcvt_f32_f16(vget_low_f16(h));
            hi[i] = vcvt_high_f32_f16(h);
        }
        for (int j = 0; j < C; j++) {
            const float32x4_t x0 = vld1q_f32(x[j] + k), x1 = vld1q_f32(x[j] + k + 4);
            for (int i = 0; i < R; i++) acc[i][j] = vfmaq_f32(vfmaq_f32(acc[i][j], lo[i], x0), hi[i], x1);
        }
    }
    for (int i = 0; i < R; i++) {
        for (int j = 0; j < C; j++) {
            float s = vaddvq_f32(acc[i][j]);
            for (int64_t t = k; t < a.K; t++) s += f16_to_f32(w[i][t]) * x[j][t];
            a.dst[(c0 + j) * a.ds + r + i] = s;
        }
    }
}

inline int8x16x2_t q8_0_neon(const uint8_t * row, int64_t b, float & d) {
    const gpt2_block_q8_0 & blk = ((const gpt2_block_q8_0 *) row)[b];
    d = f16_to_f32(blk.d);
    return { { vld1q_s8(blk.qs), vld1q_s8(blk.qs + 16) } };
}
inline int8x16x2_t q4_0_neon(const uint8_t * row, int64_t b, float & d) {
    const gpt2_block_q4_0 & blk = ((const gpt2_block_q4_0 *) row)[b];
    d = f16_to_f32(blk.d);
    const uint8x16_t q = vld1q_u8(blk.qs);
    const int8x16_t eight = vdupq_n_s8(8);
    return { { vsubq_s8(vreinterpretq_s8_u8(vandq_u8(q, vdupq_n_u8(15))), eight),
               vsubq_s8(vreinterpretq_s8_u8(vshrq_n_u8(q, 4)), eight) } };
}

// products in int16 two at a time (at most 2 * 128 * 127), then pairwise into int32
template <int R, int C, int8x16x2_t (*block)(const uint8_t *, int64_t, float &)>
inline __attribute__((always_inline)) void quant_neon(const mm_args & a, int64_t r, int64_t c0) {
    const uint8_t * w[R];
    const gpt2_block_q8_act * x[C];
    for (int i = 0; i < R; i++) w[i] = a.w + (r + i) * a.w_row;
    for (int j = 0; j < C; j++) x[j] = (const gpt2_block_q8_act *) (a.x + (c0 + j) * a.x_col);
    float32x4_t acc[R][C];
    for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) acc[i][j] = vdupq_n_f32(0.0f);
    for (int64_t b = 0; b < a.K / 32; b++) {
        int8x16x2_t wq[R];
        float dw[R];
        for (int i = 0; i < R; i++) wq[i] = block(w[i], b, dw[i]);
        for (int j = 0; j < C; j++) {
            const int8x16_t x0 = vld1q_s8(x[j][b].qs), x1 = vld1q_s8(x[j][b].qs + 16);
            const float dx = x[j][b].d;
            for (int i = 0; i < R; i++) {
                int16x8_t s0 = vmull_s8(vget_low_s8(wq[i].val[0]), vget_low_s8(x0));
                s0 = vmlal_high_s8(s0, wq[i].val[0], x0);
                int16x8_t s1 = vmull_s8(vget_low_s8(wq[i].val[1]), vget_low_s8(x1));
                s1 = vmlal_high_s8(s1, wq[i].val[1], x1);
                const int32x4_t p = vpadalq_s16(vpaddlq_s16(s0), s1);
                acc[i][j] = vfmaq_n_f32(acc[i][j], vcvtq_f32_s32(p), dw[i] * dx);
            }
        }
    }
    for (int i = 0; i < R; i++) {
        for (int j = 0; j < C; j++) a.dst[(c0 + j) * a.ds + r + i] = vaddvq_f32(acc[i][j]);
    }
}

template <int R, int C>
void f16_neon_rows(const mm_args & a, int64_t r0, int64_t r1, int64_t c0) {
    for (int64_t r = r0; r < r1; r += R) f16_neon<R, C>(a, r, c0);
}
template <int R, int C, int8x16x2_t (*block)(const uint8_t *, int64_t, float &)>
void quant_neon_rows(const mm_args & a, int64_t r0, int64_t r1, int64_t c0) {
    for (int64_t r = r0; r < r1; r += R) quant_neon<R, C, block>(a, r, c0);
}

constexpr int NEON_R = 4, NEON_C = 4;
const tile_fn f16_neon_full[NEON_C + 1] = GPT2_F16_TILES(f16_neon_rows, NEON_R);
const tile_fn f16_neon_one[NEON_C + 1]  = GPT2_F16_TILES(f16_neon_rows, 1);
const tile_fn q8_0_neon_full[NEON_C + 1] = GPT2_Q_TILES(quant_neon_rows, NEON_R, q8_0_neon);
const tile_fn q8_0_neon_one[NEON_C + 1]  = GPT2_Q_TILES(quant_neon_rows, 1, q8_0_neon);
const tile_fn q4_0_neon_full[NEON_C + 1] = GPT2_Q_TILES(quant_neon_rows, NEON_R, q4_0_neon);
const tile_fn q4_0_neon_one[NEON_C + 1]  = GPT2_Q_TILES(quant_neon_rows, 1, q4_0_neon);
const tile_plan neon_plans[3] = {
    { 4, f16_neon_one, NEON_R, NEON_C, f16_neon_full, f16_neon_one },
    { 4, q8_0_neon_one, NEON_R, NEON_C, q8_0_neon_full, q8_0_neon_one },
    { 4, q4_0_neon_one, NEON_R, NEON_C, q4_0_neon_full, q4_0_neon_one },
};
#endif  // GPT2_NEON

// ---------------------------------------------------------------------------------------------
// The epilogue's GELU, N values at a time (N = 8 with AVX2, 16 with AVX-512, 4 with NEON): gpt2_gelu_tanh's
// steps, with tanh(y) = 1 - 2 / (exp(2y) + 1) and exp by range reduction (2^n e^r, |r| <= ln 2 / 2, a
// degree-7 polynomial): within 1e-7 of tanhf (test_internal_fused), and tanhf was 8% of a two-thread Q8_0
// decode step. Written once in GCC's vector extensions; each ISA's function below inlines it, and its
// target attribute decides the instructions.
// ---------------------------------------------------------------------------------------------

template <int N>
struct lanes {
    typedef float   f __attribute__((vector_size(4 * N)));
    typedef int32_t i __attribute__((vector_size(4 * N)));
};

template <int N>
inline __attribute__((always_inline)) void gelu_lanes(float * y, int64_t n) {
    typedef typename lanes<N>::f vf;
    typedef typename lanes<N>::i vi;
    const float round = 12582912.0f;   // 1.5 * 2^23: v + round - round is v rounded to an integer, ties to even
    int64_t i = 0;
    for (; i + N <= n; i += N) {
        vf x;
        std::memcpy(&x, y + i, sizeof x);
        const vf inner = x * (x * x * 0.044715f + 1.0f);                    // x + 0.044715 x^3
        vf v = inner * 0.7978845608028654f;
        v = v > 9.0f ? (vf) {} + 9.0f : v;                                  // tanh(9) is 1 in F32
        v = v < -9.0f ? (vf) {} - 9.0f : v;
        const vf z = v + v;                                                 // exp(z), |z| <= 18
        const vf nf = (z * 1.44269504f + round) - round;
        const vf r = (z - nf * 0.693145752f) - nf * 1.42860677e-6f;         // z - n ln 2, ln 2 in two parts
        vf p = (vf) {} + 1.0f / 5040;
        for (float c : { 1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f }) p = p * r + c;
        const vi e = (__builtin_convertvector(nf, vi) + 127) << 23;         // 2^n
        vf two_n;
        std::memcpy(&two_n, &e, sizeof two_n);
        const vf t = 1.0f - 2.0f / (p * two_n + 1.0f);
        const vf out = x * (t * 0.5f + 0.5f);                               // x * (0.5 + 0.5 t)
        std::memcpy(y + i, &out, sizeof out);
    }
    for (; i < n; i++) y[i] = gpt2_gelu_tanh(y[i]);
}

#ifdef GPT2_X86
GPT2_AVX2 void gelu_avx2(float * y, int64_t n) { gelu_lanes<8>(y, n); }
GPT2_AVX512 void gelu_avx512(float * y, int64_t n) { gelu_lanes<16>(y, n); }
#endif
#ifdef GPT2_NEON
void gelu_neon(float * y, int64_t n) { gelu_lanes<4>(y, n); }
#endif

// ---------------------------------------------------------------------------------------------
// The ops of the graph
// ---------------------------------------------------------------------------------------------

// x [K, ncols] F32 -> dst [9 K/32, ncols] (K/32 gpt2_block_q8_act a column); the blocks of all columns split
// among the threads
void quantize_op(ggml_tensor * dst, int ith, int nth, void *) {
    const ggml_tensor * x = dst->src[0];
    const int64_t nb = x->ne[0] / 32, total = nb * x->ne[1];
    const int64_t per = (total + nth - 1) / nth;
    const int64_t t1 = std::min(total, (ith + 1) * per);
    for (int64_t t = ith * per; t < t1; t++) {
        const int64_t c = t / nb, b = t % nb;
        gpt2_quantize_act((const float *) ((const char *) x->data + c * x->nb[1]) + b * 32,
                          (gpt2_block_q8_act *) ((char *) dst->data + c * dst->nb[1]) + b, 32);
    }
}

// The epilogue's steps, as the op's userdata (a bit mask); the bias and the residual follow the
// activations among the op's sources, in this order
enum : uintptr_t { EP_BIAS = 1, EP_GELU = 2, EP_RESIDUAL = 4 };

// ep on rows r0 .. r1-1 of every column of dst [rows, ncols]
void epilogue(const ggml_tensor * dst, uintptr_t steps, int64_t r0, int64_t r1) {
    int src = 2;
    const float * bias = steps & EP_BIAS ? (const float *) dst->src[src++]->data : nullptr;
    const ggml_tensor * residual = steps & EP_RESIDUAL ? dst->src[src++] : nullptr;
    for (int64_t c = 0; c < dst->ne[1]; c++) {
        float * y = (float *) ((char *) dst->data + c * dst->nb[1]);
        const float * res = residual != nullptr ? (const float *) ((const char *) residual->data + c * residual->nb[1]) : nullptr;
        if (bias != nullptr) for (int64_t r = r0; r < r1; r++) y[r] = y[r] + bias[r];
        if (steps & EP_GELU) gpt2_gelu_rows(gpt2_isa_best(), y + r0, r1 - r0);
        if (res != nullptr) for (int64_t r = r0; r < r1; r++) y[r] = y[r] + res[r];
    }
}

// W [K, rows], x [K, ncols] -> dst [rows, ncols] F32, then the epilogue (userdata); rows split among the
// threads, in multiples of 8
void matmul_op(ggml_tensor * dst, int ith, int nth, void * userdata) {
    const ggml_tensor * w = dst->src[0];
    const ggml_tensor * x = dst->src[1];
    const int64_t rows = w->ne[1];
    const int64_t per = ((rows + nth - 1) / nth + 7) / 8 * 8;
    const int64_t r0 = ith * per, r1 = std::min(rows, r0 + per);
    if (r0 >= r1) return;
    gpt2_matmul_rows(gpt2_isa_best(), w->type, w->ne[0], x->ne[1], w->data, w->nb[1], x->data, x->nb[1],
                     (float *) dst->data, (int64_t) (dst->nb[1] / sizeof(float)), r0, r1);
    const uintptr_t steps = (uintptr_t) userdata;
    if (steps != 0) epilogue(dst, steps, r0, r1);
}

gpt2_isa pick_isa() {
    const char * env = std::getenv("GPT2_MATMUL_ISA");
    if (env != nullptr && *env != '\0') {
        for (gpt2_isa isa : { GPT2_ISA_SCALAR, GPT2_ISA_AVX2, GPT2_ISA_AVX512, GPT2_ISA_NEON }) {
            if (std::strcmp(env, gpt2_isa_name(isa)) == 0 && gpt2_isa_available(isa)) return isa;
        }
    }
    for (gpt2_isa isa : { GPT2_ISA_AVX512, GPT2_ISA_AVX2, GPT2_ISA_NEON }) {
        if (gpt2_isa_available(isa)) return isa;
    }
    return GPT2_ISA_SCALAR;
}

}  // namespace

#ifdef GPT2_X86
// (clang 14's __builtin_cpu_supports does not know "f16c"; AVX2's check covers the OS's support of the
// YMM state F16C needs)
static bool cpu_has_f16c() {
    unsigned a, b, c, d;
    return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_F16C) != 0;
}
#endif

bool gpt2_isa_available(gpt2_isa isa) {
    switch (isa) {
        case GPT2_ISA_SCALAR: return true;
#ifdef GPT2_X86
        case GPT2_ISA_AVX2:
            return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && cpu_has_f16c();
        case GPT2_ISA_AVX512:
            return gpt2_isa_available(GPT2_ISA_AVX2) && __builtin_cpu_supports("avx512f") &&
                   __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
                   __builtin_cpu_supports("avx512vnni");
#endif
#ifdef GPT2_NEON
        case GPT2_ISA_NEON: return true;
#endif
        default: return false;
    }
}

gpt2_isa gpt2_isa_best() {
    static const gpt2_isa best = pick_isa();
    return best;
}

const char * gpt2_isa_name(gpt2_isa isa) {
    switch (isa) {
        case GPT2_ISA_SCALAR: return "scalar";
        case GPT2_ISA_AVX2:   return "avx2";
        case GPT2_ISA_AVX512: return "avx512";
        case GPT2_ISA_NEON:   return "neon";
    }
    return "?";
}

void gpt2_quantize_act(const float * x, gpt2_block_q8_act * out, int64_t K) {
    for (int64_t b = 0; b < K / 32; b++) {
        const float * v = x + b * 32;
        float amax = 0.0f;
        for (int i = 0; i < 32; i++) amax = std::max(amax, std::fabs(v[i]));
        const float d  = amax / 127.0f;
        const float id = amax != 0.0f ? 127.0f / amax : 0.0f;   // (not 1 / d: ggml's x86-64 rule, to the bit)
        out[b].d = ggml_fp16_to_fp32(ggml_fp32_to_fp16(d));   // d as Q8_0 stores it
        for (int i = 0; i < 32; i++) {
            // |v * id| <= 127 up to rounding; NaN (a broken activation) becomes 0 rather than undefined behaviour
            const float q = std::nearbyint(v[i] * id);
            out[b].qs[i] = (int8_t) (q == q ? std::min(127.0f, std::max(-127.0f, q)) : 0.0f);
        }
    }
}

void gpt2_matmul_rows(gpt2_isa isa, ggml_type wtype, int64_t K, int64_t ncols,
                      const void * w, size_t w_row, const void * x, size_t x_col,
                      float * dst, int64_t dst_stride, int64_t r0, int64_t r1) {
    const mm_args a = { K, ncols, (const uint8_t *) w, w_row, (const uint8_t *) x, x_col, dst, dst_stride };
    const int t = wtype == GGML_TYPE_F16 ? 0 : wtype == GGML_TYPE_Q8_0 ? 1 : 2;
    const tile_plan * plan = nullptr;
    switch (isa) {
#ifdef GPT2_X86
        case GPT2_ISA_AVX512: plan = &avx512_plans[t]; break;
        case GPT2_ISA_AVX2:   plan = &avx2_plans[t]; break;
#endif
#ifdef GPT2_NEON
        case GPT2_ISA_NEON:   plan = &neon_plans[t]; break;
#endif
        default: {
            static const tile_fn * tiles[] = { f16_scalar_tiles, q8_0_scalar_tiles, q4_0_scalar_tiles };
            return drive(a, r0, r1, 1, SC, tiles[t], tiles[t]);
        }
    }
    if (ncols <= NARROW_COLS) return drive(a, r0, r1, 1, plan->narrow_c, plan->narrow, plan->narrow);
    return drive(a, r0, r1, plan->wide_r, plan->wide_c, plan->wide, plan->wide_one);
}

bool gpt2_matmul_fits(const ggml_tensor * w, const ggml_tensor * x) {
    if (w->type != GGML_TYPE_F16 && w->type != GGML_TYPE_Q8_0 && w->type != GGML_TYPE_Q4_0) return false;
    if (x->type != GGML_TYPE_F32) return false;
    if (w->ne[2] != 1 || w->ne[3] != 1 || x->ne[2] != 1 || x->ne[3] != 1) return false;
    if (x->ne[0] != w->ne[0] || x->ne[1] < 1 || x->ne[1] > GPT2_MATMUL_MAX_COLS) return false;
    if (w->type != GGML_TYPE_F16 && w->ne[0] % 32 != 0) return false;
    // rows of contiguous values
    return w->nb[0] == ggml_type_size(w->type) && x->nb[0] == sizeof(float);
}

bool gpt2_matmul_epilogue_fits(const gpt2_matmul_epilogue & ep, int64_t rows, int64_t ncols) {
    const ggml_tensor * b = ep.bias, * res = ep.residual;
    if (b != nullptr && (b->type != GGML_TYPE_F32 || ggml_nelements(b) != rows || !ggml_is_contiguous(b))) return false;
    return res == nullptr || (res->type == GGML_TYPE_F32 && res->ne[0] == rows && res->ne[1] == ncols &&
                              res->ne[2] == 1 && res->ne[3] == 1 && ggml_is_contiguous_rows(res));
}

ggml_tensor * gpt2_matmul(ggml_context * ctx, ggml_tensor * w, ggml_tensor * x, const gpt2_matmul_epilogue & ep) {
    ggml_tensor * act = x;
    if (w->type != GGML_TYPE_F16) {
        // K/32 blocks of 36 bytes a column: 9 floats' worth each
        static_assert(sizeof(gpt2_block_q8_act) == 9 * sizeof(float), "activation block");
        act = ggml_custom_4d(ctx, GGML_TYPE_F32, 9 * (x->ne[0] / 32), x->ne[1], 1, 1, &x, 1, quantize_op,
                             GGML_N_TASKS_MAX, nullptr);
    }
    ggml_tensor * args[4] = { w, act };
    int n_args = 2;
    uintptr_t steps = 0;
    if (ep.bias != nullptr)     { steps |= EP_BIAS;     args[n_args++] = ep.bias; }
    if (ep.gelu)                { steps |= EP_GELU; }
    if (ep.residual != nullptr) { steps |= EP_RESIDUAL; args[n_args++] = ep.residual; }
    return ggml_custom_4d(ctx, GGML_TYPE_F32, w->ne[1], x->ne[1], 1, 1, args, n_args, matmul_op, GGML_N_TASKS_MAX,
                          (void *) steps);
}

float gpt2_gelu_tanh(float x) {
    const float sqrt_2_over_pi = 0.7978845608028654f;
    const float inner = x * (x * x * 0.044715f + 1.0f);   // x + 0.044715 x^3
    const float t = std::tanh(inner * sqrt_2_over_pi);
    return x * (t * 0.5f + 0.5f);                          // x * (0.5 + 0.5 t)
}

void gpt2_gelu_rows(gpt2_isa isa, float * y, int64_t n) {
    switch (isa) {
#ifdef GPT2_X86
        case GPT2_ISA_AVX512: return gelu_avx512(y, n);
        case GPT2_ISA_AVX2:   return gelu_avx2(y, n);
#endif
#ifdef GPT2_NEON
        case GPT2_ISA_NEON:   return gelu_neon(y, n);
#endif
        default:
            for (int64_t i = 0; i < n; i++) y[i] = gpt2_gelu_tanh(y[i]);
    }
}

void gpt2_matmul_run(ggml_tensor * node, int ith, int nth) {
    if (node->src[1] == nullptr) {   // the quantization has one source
        quantize_op(node, ith, nth, nullptr);
    } else {
        struct { ggml_custom_op_t fun; int n_tasks; void * userdata; } p;   // what ggml_custom_4d stored (ggml-impl.h)
        std::memcpy(&p, node->op_params, sizeof p);
        matmul_op(node, ith, nth, p.userdata);
    }
}
