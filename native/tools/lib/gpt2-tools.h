// gpt2-tools.h: the tools library (gpt2-tools, static): what the native tools and tests need
// beside libgpt2 and that inference does not: GPT-2 models with random weights, for fixtures and
// benchmarks. Not part of libgpt2 nor of the platform jar; Java reaches it only by running the
// gpt2-make-model program.
//
// Link a program with gpt2-tools and libgpt2 (the enums and status codes are gpt2.h's). Errors
// follow gpt2.h's conventions, except that the message is gpt2_tools_last_error()'s (gpt2.h's
// gpt2_last_error() is libgpt2's own, which this library cannot set).

#ifndef GPT2_TOOLS_H
#define GPT2_TOOLS_H

#include "gpt2.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// The message of the last failing gpt2-tools call on this thread ("" if none).
// Borrowed: valid until the next failing gpt2-tools call on this thread.
const char * gpt2_tools_last_error(void);

// Parses a weight type by the name the tools take (f32 f16 bf16 q8_0 q4_0 q4_1 q5_0 q5_1, in any
// case) into *out. Returns 1, or 0 (and *out untouched) for another name or a NULL argument.
int gpt2_tools_parse_type(const char * name, int32_t * out);

// ---------------------------------------------------------------------------------------------
// Command lines: the values of the tools' options. Each returns 1 and sets *out, or returns 0 (*out
// untouched) for text that is not wholly such a number (or a NULL argument).
// ---------------------------------------------------------------------------------------------

int gpt2_tools_parse_i32(const char * s, int32_t * out);   // decimal, INT32_MIN .. INT32_MAX
int gpt2_tools_parse_u64(const char * s, uint64_t * out);  // decimal, no sign
int gpt2_tools_parse_f32(const char * s, float * out);     // finite (strtof's forms)

// Whether arg is one of names[0 .. n-1].
int gpt2_tools_is_option(const char * arg, const char * const * names, size_t n);

// ---------------------------------------------------------------------------------------------
// Random models
// ---------------------------------------------------------------------------------------------

typedef struct gpt2_random_model_params {
    int32_t  n_vocab;      // >= 257: 256 byte tokens, merges, and <|endoftext|> last
    int32_t  n_ctx;        // learned positions
    int32_t  n_embd;       // multiple of n_head (and of 32 for quantized types)
    int32_t  n_head;
    int32_t  n_layer;
    int32_t  weight_type;  // enum gpt2_type of the 2-D matrices; norms and biases stay F32
    uint8_t  tied_output;  // 1: no output.weight (the embeddings are used)
    uint64_t seed;
    float    scale;        // standard deviation of the weights; <= 0: 0.02
} gpt2_random_model_params;

// Defaults: a tiny model: n_vocab 512, n_ctx 128, n_embd 64, n_head 4, n_layer 2, F32, tied,
// seed 42, scale 0.02.
gpt2_random_model_params gpt2_random_model_default_params(void);

// Writes a GPT-2 GGUF with weights drawn from the seed: the same parameters give the same file.
// The vocabulary is byte-level BPE (256 byte tokens, merges of them, <|endoftext|>), learned from a
// small English text built in. Returns GPT2_OK; GPT2_ERR_INVALID_ARG (a shape or type it cannot
// write: nothing is written), GPT2_ERR_IO (no file is left).
gpt2_status gpt2_write_random_model(const char * path, const gpt2_random_model_params * params);

// ---------------------------------------------------------------------------------------------
// Random LoRA adapters
// ---------------------------------------------------------------------------------------------

typedef struct gpt2_random_lora_params {
    int32_t  rank;      // >= 1, at most every adapted matrix's smaller side
    float    alpha;     // adapter.lora.alpha, >= 0; 0 writes no alpha key (scale = the session's scale alone)
    uint32_t targets;   // bit t (enum order: attn_qkv 0, attn_output 1, ffn_up 2, ffn_down 3) adapts that matrix
                        // of every block; 0: all four
    int32_t  layer;     // -1: every block; else that block only
    uint64_t seed;
    float    scale;     // standard deviation of A's and B's values; <= 0: 0.02
} gpt2_random_lora_params;

// Defaults: rank 4, alpha 8, all four matrices of every block, seed 7, scale 0.02.
gpt2_random_lora_params gpt2_random_lora_default_params(void);

// Draws a LoRA adapter for the F32 GPT-2 GGUF at model_path and writes it to adapter_path (gpt2.h's
// "LoRA adapters": llama.cpp's layout, A and B in F32); with merged_path not NULL, also the model with the
// adapter merged at session scale 1 (W + alpha/rank B A, summed in double and rounded to F32 once; scale 1
// when alpha is 0), every other tensor and key as in the model. Returns GPT2_OK; GPT2_ERR_INVALID_ARG
// (bad parameters, or a model that is not F32), GPT2_ERR_IO or GPT2_ERR_FORMAT (an unreadable model).
gpt2_status gpt2_write_random_lora(const char * model_path, const char * adapter_path, const char * merged_path,
                                   const gpt2_random_lora_params * params);

#ifdef __cplusplus
}
#endif

#endif // GPT2_TOOLS_H
