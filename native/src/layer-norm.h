// layer-norm.h: nn.LayerNorm over ne0 as one graph node, for libgpt2's matrix-product path.
//
// ggml writes LayerNorm as three nodes (ggml_norm, ggml_mul by the weight, ggml_add of the bias), and
// every node ends at a barrier of ggml's threads; on the path where libgpt2's kernels compute the products
// (GPT2_MATMUL_LIBGPT2) the forward pass takes this one node instead. ggml's path keeps ggml's three, so
// that it stays llama.cpp's arithmetic.
#pragma once

#include "ggml.h"

// y [E, T] F32 = (x - mean) / sqrt(var + eps) * w + b per column of x [E, T] F32 (rows contiguous), w and
// b F32 [E]: the mean and the (biased) variance summed in double, then, in F32 and in ggml's order,
// ((x - mean) * (1 / sqrt(var + eps))) * w + b. The columns split among ggml's threads. CPU backend only.
ggml_tensor * gpt2_layer_norm(ggml_context * ctx, ggml_tensor * x, ggml_tensor * w, ggml_tensor * b, float eps);

// Whether gpt2_layer_norm takes these tensors (else the caller composes ggml's three nodes).
bool gpt2_layer_norm_fits(const ggml_tensor * x, const ggml_tensor * w, const ggml_tensor * b);
