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

// What the product's op does to each output after its sum, in this order (each optional): the steps that
// follow a product in GPT-2's forward pass, fused so that they cost no graph node of their own. Every node
// ends at a barrier of ggml's threads, and with two threads the ~35 nodes a layer had cost a sixth of a
// decode step (docs/BENCHMARKS.md); the arithmetic is the graph's own, step by step, in F32.
struct gpt2_matmul_epilogue {
    ggml_tensor * bias     = nullptr;   // [rows] F32: y = y + bias        (nn.Linear's bias; ggml_add(y, b))
    bool          gelu     = false;     // y = gelu_tanh(y)                (HF "gelu_new": gpt2_gelu_tanh below)
    ggml_tensor * residual = nullptr;   // [rows, ncols] F32: y = y + residual (the residual stream's add)
};

// Whether ep can follow a product of rows x ncols: the bias F32 [rows] and the residual F32 [rows, ncols],
// both contiguous.
bool gpt2_matmul_epilogue_fits(const gpt2_matmul_epilogue & ep, int64_t rows, int64_t ncols);

// y [rows, ncols] F32 = W^T x in the graph, by libgpt2's kernels (gpt2_matmul_fits and
// gpt2_matmul_epilogue_fits must hold), then ep: one custom op, after one that quantizes x for Q8_0 and
// Q4_0 weights.
ggml_tensor * gpt2_matmul(ggml_context * ctx, ggml_tensor * w, ggml_tensor * x, const gpt2_matmul_epilogue & ep = {});

// HF "gelu_new" of one value, in F32 and in the order of graph.cpp's composed form:
// 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))) as x * (0.5 + 0.5 * tanh(sqrt(2/pi) * x * (1 + 0.044715 x^2)))
float gpt2_gelu_tanh(float x);

// y[i] = gelu_tanh(y[i]) for i < n, as the epilogue computes it with isa's instructions: gpt2_gelu_tanh's
// steps, its tanh from exp (within 1e-7 of tanhf) with AVX2, AVX-512 and NEON, gpt2_gelu_tanh itself otherwise.
void gpt2_gelu_rows(gpt2_isa isa, float * y, int64_t n);

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
