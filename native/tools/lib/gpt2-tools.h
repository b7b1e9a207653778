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

#ifdef __cplusplus
}
#endif

#endif // GPT2_TOOLS_H
