// gpt2-train.h: the training part of libgpt2's C API: the loss of a GPT-2 and its gradient, for an
// optimizer the caller runs (gpt2-java's trainer, `--engine native`). Inference needs none of it:
// gpt2.h is the inference API, and this header adds to it. The functions are in the same libgpt2,
// under the same conventions (gpt2.h's top) and the same GPT2_API_VERSION.

#ifndef GPT2_TRAIN_H
#define GPT2_TRAIN_H

#include "gpt2.h"

#ifdef __cplusplus
extern "C" {
#endif

// ---------------------------------------------------------------------------------------------
// Training: the loss and its gradient, by ggml's automatic differentiation (CPU)
// ---------------------------------------------------------------------------------------------
//
// A gpt2_grad computes, for a batch of n_batch sequences of n_seq tokens, the mean next-token
// cross-entropy of a GPT-2 of the given shape (Hugging Face's GPT2LMHeadModel: tanh GELU,
// LayerNorm eps 1e-5, the output projection tied to token_embd) and its gradient with respect to
// every parameter. The optimizer is the caller's. One call at a time per gpt2_grad (it keeps the
// graph's memory between calls); separate gpt2_grads may run on separate threads.
//
// Parameters and gradients are each one flat float array of gpt2_grad_n_params() values: the
// tensors in GGUF order, each in ggml's layout (ne0 first, so a matrix is [out][in] row-major):
//   token_embd.weight [n_vocab][n_embd], position_embd.weight [n_ctx][n_embd], then per block
//   attn_norm.weight, attn_norm.bias [n_embd], attn_qkv.weight [3 n_embd][n_embd],
//   attn_qkv.bias [3 n_embd], attn_output.weight [n_embd][n_embd], attn_output.bias,
//   ffn_norm.weight, ffn_norm.bias [n_embd], ffn_up.weight [4 n_embd][n_embd], ffn_up.bias
//   [4 n_embd], ffn_down.weight [n_embd][4 n_embd], ffn_down.bias [n_embd]; then
//   output_norm.weight, output_norm.bias [n_embd].

typedef struct gpt2_grad gpt2_grad;

typedef struct gpt2_grad_params {
    int32_t n_vocab;    // 2 .. 2^20
    int32_t n_ctx;      // learned positions, >= 1
    int32_t n_embd;     // a multiple of n_head
    int32_t n_head;     // >= 1
    int32_t n_layer;    // >= 1
    int32_t n_batch;    // sequences per batch, >= 1
    int32_t n_seq;      // tokens per sequence, 1 .. n_ctx
    int32_t n_threads;  // at most 512; <= 0: the CPUs of this process; capped to them (gpt2.h, Threads)
} gpt2_grad_params;

// Defaults: n_vocab 512, n_ctx 128, n_embd 64, n_head 4, n_layer 2, n_batch 1, n_seq 64, n_threads 0.
GPT2_API gpt2_grad_params gpt2_grad_default_params(void);

// Builds the forward and backward graph and allocates its memory once: the parameters, the gradients
// and every activation. With GPT-2's vocabulary the largest part is the logits, their one-hot labels
// and their gradients, a few arrays of n_batch * n_seq * n_vocab floats.
// Returns NULL on failure (gpt2_last_error()): GPT2_ERR_INVALID_ARG for a shape out of range,
// GPT2_ERR_OUT_OF_MEMORY, GPT2_ERR_BACKEND. Owned: free with gpt2_grad_free.
GPT2_API gpt2_grad * gpt2_grad_new(const gpt2_grad_params * params);

// NULL is a no-op.
GPT2_API void gpt2_grad_free(gpt2_grad * grad);

// The number of floats in the parameter (and gradient) array; -1 if grad is NULL.
GPT2_API int64_t gpt2_grad_n_params(const gpt2_grad * grad);

// params [n_params] (read only), inputs and targets [n_batch * n_seq] token ids (sequence by
// sequence; targets[i] is the token that should follow inputs[0..i] of its sequence).
// Writes the mean cross-entropy to *loss and, unless grads is NULL, the gradient into grads
// [n_params] (overwritten, not accumulated). Returns GPT2_OK, GPT2_ERR_INVALID_ARG (a NULL array or
// loss, a token id outside 0 .. n_vocab-1) or GPT2_ERR_BACKEND.
GPT2_API gpt2_status gpt2_grad_compute(gpt2_grad * grad, const float * params, const int32_t * inputs,
                                       const int32_t * targets, float * grads, float * loss);

#ifdef __cplusplus
}
#endif

#endif // GPT2_TRAIN_H
