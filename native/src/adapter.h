// adapter.h: a LoRA adapter loaded for one model (gpt2.h, "LoRA adapters"): for each block, the
// low-rank pair A, B of each adapted matrix, in the model's device memory.
#pragma once

#include "gpt2-arch.h"
#include "model.h"

#include <array>
#include <atomic>
#include <string>
#include <vector>

// The matrices of a block an adapter may adapt, in the order of gpt2_lora_pair arrays.
enum gpt2_lora_target {
    GPT2_LORA_ATTN_QKV = 0,   // blk.N.attn_qkv.weight
    GPT2_LORA_ATTN_OUT,       // blk.N.attn_output.weight
    GPT2_LORA_FFN_UP,         // blk.N.ffn_up.weight
    GPT2_LORA_FFN_DOWN,       // blk.N.ffn_down.weight
    GPT2_LORA_N_TARGETS
};

// The tensor name of each target ("%d": the block), in enum gpt2_lora_target's order.
inline constexpr const char * gpt2_lora_target_names[GPT2_LORA_N_TARGETS] = {
    GPT2_T_ATTN_QKV, GPT2_T_ATTN_OUT, GPT2_T_FFN_UP, GPT2_T_FFN_DOWN,
};

// W (ggml [in, out]) becomes W + scale · B A: A is ggml [in, rank], B [rank, out] (llama.cpp's layout:
// <name>.lora_a, <name>.lora_b). Both nullptr where the adapter leaves W as it is.
struct gpt2_lora_pair {
    ggml_tensor * a = nullptr;
    ggml_tensor * b = nullptr;
};

struct gpt2_adapter {
    gpt2_model * model = nullptr;   // holds a reference
    std::string  path;
    std::string  name;              // general.name, or ""
    float        alpha = 0.0f;      // adapter.lora.alpha; 0 when the file has none
    int32_t      rank = 0;          // the largest rank of its pairs
    int32_t      n_matrices = 0;    // matrices adapted
    std::vector<std::array<gpt2_lora_pair, GPT2_LORA_N_TARGETS>> layers;   // [n_layer]

    gguf_context *        gguf = nullptr;   // owned
    ggml_context *        ctx = nullptr;    // the pairs' tensor metadata, owned
    ggml_backend_buffer_t buf = nullptr;    // their memory on the model's device, owned

    std::atomic<int32_t>  refs{1};          // the caller's reference + one per session using it

    // llama.cpp's rule (llama_adapter_lora_weight::get_scale): user_scale · alpha / rank, where rank is
    // B's ne0; user_scale alone when the file has no alpha
    float scale(const gpt2_lora_pair & p, float user_scale) const {
        return alpha != 0.0f ? user_scale * alpha / (float) p.b->ne[0] : user_scale;
    }

    ~gpt2_adapter();
};

// Drops one reference; deletes the adapter (and its reference on the model) at zero.
void gpt2_adapter_release(gpt2_adapter * adapter);
