// model.h: what a loaded GPT-2 model is: hyper-parameters, weights, vocabulary.
#pragma once

#include "gpt2.h"

#include "ggml.h"
#include "ggml-backend.h"
#include "gguf.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

struct gpt2_hparams {
    int32_t n_vocab     = 0;
    int32_t n_ctx_train = 0;   // learned positions
    int32_t n_embd      = 0;
    int32_t n_head      = 0;
    int32_t n_layer     = 0;
    int32_t n_ff        = 0;   // 4 * n_embd in every released GPT-2
    float   norm_eps    = 1e-5f;
};

// Weights of one block (shapes in ggml order, ne0 first).
struct gpt2_layer {
    ggml_tensor * ln_1_w;     // [n_embd]
    ggml_tensor * ln_1_b;     // [n_embd]
    ggml_tensor * c_attn_w;   // [n_embd, 3*n_embd]   (HF Conv1D c_attn, transposed)
    ggml_tensor * c_attn_b;   // [3*n_embd]
    ggml_tensor * c_proj_w;   // [n_embd, n_embd]
    ggml_tensor * c_proj_b;   // [n_embd]
    ggml_tensor * ln_2_w;     // [n_embd]
    ggml_tensor * ln_2_b;     // [n_embd]
    ggml_tensor * c_fc_w;     // [n_embd, n_ff]
    ggml_tensor * c_fc_b;     // [n_ff]
    ggml_tensor * mlp_proj_w; // [n_ff, n_embd]
    ggml_tensor * mlp_proj_b; // [n_embd]
};

// A read-only view of the model file, mapped (or read) once at load.
struct gpt2_file_map {
    void * addr = nullptr;    // whole file
    size_t size = 0;
    bool   mapped = false;    // false: addr is a heap copy
    ~gpt2_file_map();
    bool open(const std::string & path, std::string & err);
};

struct gpt2_vocab {
    std::vector<std::string> tokens;      // byte-to-unicode form, as in the file
    std::vector<int32_t>     token_types; // tokenizer.ggml.token_type (1 when absent)
    std::vector<std::string> merges;      // "a b", rank order
    int32_t bos = -1;
    int32_t eos = -1;
};

struct gpt2_model {
    std::string       path;
    std::string       name;
    gpt2_model_params params;
    gpt2_hparams      hparams;
    gpt2_vocab        vocab;

    ggml_tensor * wte;        // [n_embd, n_vocab]
    ggml_tensor * wpe;        // [n_embd, n_ctx_train]
    ggml_tensor * ln_f_w;     // [n_embd]
    ggml_tensor * ln_f_b;     // [n_embd]
    ggml_tensor * lm_head;    // [n_embd, n_vocab]: output.weight, or wte when tied
    bool          tied = true;
    std::vector<gpt2_layer> layers;

    int64_t n_params   = 0;
    int64_t size_bytes = 0;

    ggml_backend_dev_t    dev = nullptr;     // the device sessions compute on
    std::string           backend_name;
    gguf_context        * gguf = nullptr;    // metadata, owned
    ggml_context        * ctx_w = nullptr;   // tensor metadata of the weights, owned
    ggml_backend_buffer_t buf_w = nullptr;   // weight memory (device, host, or the mapped file), owned
    std::vector<ggml_backend_buffer_t> buf_extra;  // matrices in ggml's extra CPU buffer types, owned
    int32_t               n_extra = 0;       // how many matrices are there
    gpt2_file_map         file;              // kept while buf_w points into it

    std::atomic<int32_t>  refs{1};           // the caller's reference + one per session

    ~gpt2_model();
};

// Drops one reference; deletes the model at zero.
void gpt2_model_release(gpt2_model * model);
