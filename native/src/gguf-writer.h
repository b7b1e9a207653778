// gguf-writer.h: writing GPT-2 GGUF files as a stream, shared by gpt2_quantize (libgpt2) and the
// random-model writer (the tools library, native/tools/lib). The files are llama.cpp's: the keys,
// tensor names and tensor types of convert_hf_to_gguf.py for GPT2LMHeadModel and of llama-quantize.
//
// Which tensors take the weight type (the same rule for both writers, is_weight_matrix()):
//   token_embd, output, and each block's attn_qkv, attn_output, ffn_up, ffn_down.
// Which stay F32:
//   - 1-D tensors (LayerNorm weights and biases, all biases): the converter writes them F32
//     ("most of the codebase that takes in 1D tensors or norms only handles F32") and
//     llama-quantize only quantizes tensors of 2 dimensions or more.
//   - position_embd: the converter keeps POS_EMBD F32 for every file type and llama-quantize
//     never quantizes it ("do not quantize positional embeddings").
// Unlike llama-quantize's default, token_embd and output get the weight type itself, not Q6_K
// (gpt2_type has no k-quants): the same as `llama-quantize --pure`.
//
// Files are written as a stream, a chunk of rows (~4M values) at a time, so a 124M model in F32
// (~500 MB) is written with ~50 MB of memory, not the whole model.
//
// Internal (not exported). Failures are reported with gpt2_fail (error.h): inside libgpt2 that is
// gpt2_last_error()'s message, in the tools library gpt2_tools_last_error()'s.
#pragma once

#include "gpt2.h"

#include "ggml.h"
#include "gguf.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

// A tensor type a writer can write: enum gpt2_type (== enum ggml_type), and the llama_ftype of a
// file whose matrices have it.
struct gpt2_write_type {
    int32_t  type;
    uint32_t ftype;
};

// The entry of type, or nullptr if the writers cannot write it (F32, F16, BF16, Q8_0, Q4_0, Q4_1,
// Q5_0, Q5_1 only).
const gpt2_write_type * gpt2_find_write_type(int32_t type);

// Does the tensor take the weight type? (see the top of the file)
bool gpt2_is_weight_matrix(const char * name, const int64_t ne[GGML_MAX_DIMS]);

// A tensor of the file being written.
struct gpt2_out_tensor {
    std::string name;
    int64_t     ne[GGML_MAX_DIMS];
    ggml_type   type;  // type in the written file

    int64_t n_rows() const { return ne[1] * ne[2] * ne[3]; }
    size_t  row_size() const { return ggml_row_size(type, ne[0]); }
};

// Fills rows [r0, r0 + n) of tensor i, in its output type, into dst; returns GPT2_OK or the
// status of gpt2_fail.
using gpt2_rows_fn = std::function<gpt2_status(size_t i, int64_t r0, int64_t n, uint8_t * dst)>;

// Runs fn(r0, r1) on n_threads threads over rows [0, n_rows); an exception of a thread is
// rethrown here.
void gpt2_parallel_rows(int n_threads, int64_t n_rows, const std::function<void(int64_t, int64_t)> & fn);

// The writers' default thread count: the hardware threads, 1 .. 16.
int gpt2_write_default_threads();

// Writes the metadata of meta (keys, and the tensor infos of tensors, which it adds), then the data
// of each tensor from produce, chunk by chunk. On failure the file is removed. func names the
// caller in messages.
gpt2_status gpt2_write_gguf(const char * func, const char * path, gguf_context * meta,
                            const std::vector<gpt2_out_tensor> & tensors, const gpt2_rows_fn & produce);
