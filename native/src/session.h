// session.h: a session: its KV cache, its compute backend, the planned graph memory, and the
// outputs of the last eval.
#pragma once

#include "adapter.h"
#include "kv-cache.h"
#include "model.h"

#include "ggml-alloc.h"
#include "ggml-backend.h"

#include <cstdint>
#include <vector>

// The inputs of one forward pass, as host arrays (sized once, at session creation).
struct gpt2_ubatch {
    int32_t n_tokens  = 0;
    int32_t n_kv      = 0;   // cells the attention reads: [0, n_kv)
    int32_t n_outputs = 0;
    std::vector<int32_t> tokens;    // [n_tokens]
    std::vector<int32_t> pos;       // [n_tokens]
    std::vector<int32_t> seq;       // [n_tokens]
    std::vector<int64_t> k_idx;     // [n_tokens]         cell of each token (rows of the K cache)
    std::vector<int64_t> v_idx;     // [n_embd*n_tokens]  element of each V value (V is stored transposed)
    std::vector<float>   mask;      // [n_tokens][n_kv]   0 or -INFINITY (not with flash attention: group_mask)
    std::vector<int32_t> out_ids;   // [n_outputs]        batch index of each output row

    // flash attention: the tokens of each sequence in the batch form a group, whose queries read only
    // the span of cells [lo, lo + span) that holds that sequence's cells
    struct group {
        int32_t seq;
        int32_t n_tokens;
        int32_t first;         // its first entry in group_tokens
        int32_t first_token;   // batch index of its first token, when its tokens are consecutive; else -1
        int32_t lo, span;
        size_t  mask_off;      // its [n_tokens][span] mask in group_mask
    };
    std::vector<group>       groups;
    std::vector<int32_t>     group_tokens;   // [n_tokens]  batch indexes, group after group
    std::vector<ggml_fp16_t> group_mask;     // each group's mask, 0 or -INFINITY
};

// Tensors of one built graph that the session reads or fills.
struct gpt2_graph_io {
    ggml_cgraph * gf = nullptr;
    ggml_tensor * inp_tokens  = nullptr;  // I32 [n_tokens]
    ggml_tensor * inp_pos     = nullptr;  // I32 [n_tokens]
    ggml_tensor * inp_k_idx   = nullptr;  // I64 [n_tokens]
    ggml_tensor * inp_v_idx   = nullptr;  // I64 [n_embd*n_tokens]
    ggml_tensor * inp_mask    = nullptr;  // F32 [n_kv, n_tokens]; nullptr with flash attention
    ggml_tensor * inp_out_ids = nullptr;  // I32 [n_outputs], nullptr when n_outputs == 0
    std::vector<ggml_tensor *> inp_group_idx;   // flash attention: I32 [group n_tokens] per group
    std::vector<ggml_tensor *> inp_group_mask;  // flash attention: F16 [span, group n_tokens] per group
    ggml_tensor * logits      = nullptr;  // F32 [n_vocab, n_outputs]
    std::vector<ggml_tensor *> attn;      // [n_layer] F32 [n_kv, n_tokens, n_head], when captured
    std::vector<ggml_tensor *> hidden;    // [n_layer+2] F32 [n_embd, n_tokens], when captured
    std::vector<ggml_tensor *> heads;     // [n_layer] F32 [n_embd, n_tokens], when hidden states are captured

    // an intervened site: activation = activation * scale + add, both F32 [n_embd, n_tokens]
    struct site {
        ggml_tensor *      scale = nullptr;
        ggml_tensor *      add = nullptr;
        std::vector<float> scale_host, add_host;   // [n_tokens][n_embd]
    };
    std::vector<site> sites;
};

// An intervention as the session holds it (its values copied).
struct gpt2_held_intervention {
    gpt2_intervention  iv;       // iv.values unused
    std::vector<float> values;   // empty: none added
};

struct gpt2_session {
    gpt2_model *        model;  // holds a reference
    gpt2_session_params params;

    ggml_backend_t        backend = nullptr;
    ggml_threadpool_t     threadpool = nullptr;   // CPU: workers of our own, asleep between evals
    void               (* threadpool_free)(ggml_threadpool_t) = nullptr;   // the CPU backend's, for it
    int32_t               threadpool_size = 0;    // its threads (an eval may use fewer)
    ggml_context        * ctx_kv = nullptr;   // K and V tensors, one pair per layer
    ggml_backend_buffer_t buf_kv = nullptr;
    std::vector<ggml_tensor *> k_l;           // [n_layer] [n_embd, n_cells]  row c = keys of cell c
    std::vector<ggml_tensor *> v_l;           // [n_layer] [n_cells, n_embd]  transposed: column c = values of cell c
                                              //   (flash attention: [n_embd, n_cells], rows as K)
    ggml_tensor *         attn_out = nullptr;  // flash attention: [n_embd, n_batch], each layer's attention
                                               //   output, written group by group
    gpt2_kv_cache         kv;

    std::vector<uint8_t>  graph_mem;          // metadata arena of the graph, reused by every eval
    ggml_gallocr_t        galloc = nullptr;   // compute memory, planned once for the largest graph

    gpt2_ubatch           ub;
    std::vector<int32_t>  scratch_pos;        // eval's working arrays, kept to spare allocations
    std::vector<int32_t>  scratch_end;
    std::vector<int32_t>  scratch_cells;
    std::vector<uint8_t>  scratch_taken;
    std::vector<int32_t>  scratch_seq;

    // outputs of the last successful eval
    int32_t              n_outputs = 0;
    std::vector<float>   logits;              // [n_outputs][n_vocab]
    std::vector<int32_t> output_index;        // [n_outputs] batch index
    int32_t              cap_n_tokens = 0;    // captures: the batch they describe
    int32_t              cap_n_kv = 0;
    int32_t              cap_n_keys = 0;
    std::vector<int32_t> cap_pos;             // [n_tokens]   position of each query
    std::vector<int32_t> cap_cell_pos;        // [n_kv]       position held by each cell read
    std::vector<float>   cap_mask;            // [n_tokens][n_kv]
    std::vector<std::vector<float>> cap_attn;     // [n_layer] [n_head][n_tokens][n_kv]
    std::vector<std::vector<float>> cap_hidden;   // [n_layer+2] [n_tokens][n_embd]
    std::vector<std::vector<float>> cap_heads;    // [n_layer] [n_tokens][n_embd]

    std::vector<gpt2_held_intervention> interventions;   // of the following evals

    // LoRA adapters of the following evals, each with the scale the caller gave it; holds a reference on each
    std::vector<std::pair<gpt2_adapter *, float>> adapters;

    ~gpt2_session();
};

// Builds the forward pass for the batch in s->ub (graph.cpp).
gpt2_graph_io gpt2_build_graph(gpt2_session * s);

// Nodes and tensors the graph of s->ub may hold (graph.cpp sizes it, session.cpp its arena).
size_t gpt2_graph_size(const gpt2_session * s);
