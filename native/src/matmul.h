// matmul.h: libgpt2's own matrix x few-columns products, for the decode shapes (GPT2_MATMUL_LIBGPT2).
//
// y = W^T x for W [K, rows] (ggml order: each of the rows is K contiguous weights) in F16, Q8_0 or
// Q4_0, and x [K, ncols] F32 with ncols 1 .. GPT2_MATMUL_MAX_COLS: a decode step of 1 to 64
// sequences. Each weight block is read from memory once for all columns: the kernels hold a tile of
// rows x columns of accumulators in registers and walk K once per tile. Any row count (the output
// matrix has 50,257 rows).
//
// - F16 weights multiply the F32 activations as they are (ggml rounds them to F16 first).
// - Q8_0 and Q4_0 weights multiply activations quantized to Q8_0 blocks, as ggml's x86-64 vec_dot
//   does: per 32 values d = max|x| / 127 (stored as F16), q = x * (127 / max|x|) rounded to the
//   nearest integer, ties to even; the products of a block are summed exactly in int32 and scaled by
//   d_w * d_x in F32. (With this rule the fixtures' Q8_0 logits equal llama.cpp's bit for bit.)
//
// Plugged into the graph as ggml custom ops (ggml_custom_4d), the rows split among ggml's threads;
// CPU backend only. The instruction set is picked once at run time: AVX-512 (F + BW + VL, and VNNI
// for the quantized types), AVX2 + FMA + F16C, NEON on arm64, else portable C. libgpt2 itself is
// compiled for the baseline of its architecture; the SIMD kernels carry target attributes.
#pragma once

#include "ggml.h"

#include <cstddef>
#include <cstdint>

#define GPT2_MATMUL_MAX_COLS 64

enum gpt2_isa {
    GPT2_ISA_SCALAR = 0,
    GPT2_ISA_AVX2   = 1,   // AVX2 + FMA + F16C
    GPT2_ISA_AVX512 = 2,   // AVX-512 F + BW + VL + VNNI
    GPT2_ISA_NEON   = 3,   // arm64 Advanced SIMD (baseline)
};

// Whether this CPU runs the kernels of isa (SCALAR always).
bool gpt2_isa_available(gpt2_isa isa);

// The best of the above on this CPU (or the one env GPT2_MATMUL_ISA names: scalar, avx2, avx512,
// neon, if this CPU runs it); decided once.
gpt2_isa gpt2_isa_best();

// "scalar", "avx2", "avx512", "neon".
const char * gpt2_isa_name(gpt2_isa isa);

// Whether y = W^T x can take libgpt2's kernels: W 2-D F16/Q8_0/Q4_0, x 2-D F32 with rows of
// W->ne[0] values and 1 .. GPT2_MATMUL_MAX_COLS columns, both with contiguous rows.
bool gpt2_matmul_fits(const ggml_tensor * w, const ggml_tensor * x);

// y [rows, ncols] F32 = W^T x in the graph, by libgpt2's kernels (gpt2_matmul_fits must hold):
// one custom op, after one that quantizes x for Q8_0 and Q4_0 weights.
ggml_tensor * gpt2_matmul(ggml_context * ctx, ggml_tensor * w, ggml_tensor * x);

// ---------------------------------------------------------------------------------------------
// The kernels themselves (for the tests)
// ---------------------------------------------------------------------------------------------

// A block of 32 weights or activations, as in GGUF.
struct gpt2_block_q8_0 {
    uint16_t d;        // F16 scale
    int8_t   qs[32];   // value i = d * qs[i]
};
struct gpt2_block_q4_0 {
    uint16_t d;        // F16 scale
    uint8_t  qs[16];   // value i = d * ((qs[i] & 15) - 8), value 16 + i = d * ((qs[i] >> 4) - 8)
};
static_assert(sizeof(gpt2_block_q8_0) == 34, "Q8_0 block");
static_assert(sizeof(gpt2_block_q4_0) == 18, "Q4_0 block");

// A block of 32 activations, quantized for the kernels: Q8_0's values, with the F16 scale already a float.
struct gpt2_block_q8_act {
    float  d;          // an F16 value: the scale as Q8_0 stores it
    int8_t qs[32];     // value i = d * qs[i]
};

// K values (a multiple of 32) as K/32 blocks, by the rule above (ties to even: the default rounding
// mode, which libgpt2 never changes).
void gpt2_quantize_act(const float * x, gpt2_block_q8_act * out, int64_t K);

// dst[c * dst_stride + r] = row r of W . column c of x, for rows r0 .. r1-1 and columns 0 .. ncols-1.
// W: rows of w_row bytes each, of type wtype (F16, Q8_0, Q4_0). x: columns x_col bytes apart, F32
// for F16 weights, blocks of gpt2_quantize_act for Q8_0 and Q4_0 weights.
void gpt2_matmul_rows(gpt2_isa isa, ggml_type wtype, int64_t K, int64_t ncols,
                      const void * w, size_t w_row, const void * x, size_t x_col,
                      float * dst, int64_t dst_stride, int64_t r0, int64_t r1);

// Runs a node that gpt2_matmul made (the product, or the quantization of its activations) as ggml's
// thread ith of nth does.
void gpt2_matmul_run(ggml_tensor * node, int ith, int nth);
