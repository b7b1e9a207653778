// train.cpp: the GPT-2 training loss and its gradient, as a ggml graph differentiated by ggml.
//
// ggml's automatic differentiation at the pinned commit has no backward pass for NORM, TANH or
// GELU, so the forward pass here is written with ops that have one: LayerNorm from SUM_ROWS, SUB,
// SQR, SQRT and DIV, and gelu_new as x * sigmoid(2u) = x * exp(-softplus(-2u)), which is the same
// function as 0.5 x (1 + tanh(u)) and stays finite for any u. Everything else is the inference
// graph's (graph.cpp), batched as [.., T, B] instead of over KV cells.
//
// Shapes are in ggml order (ne0 first): C = n_embd, H = n_head, D = C/H, T = n_seq, B = n_batch,
// N = T*B, V = n_vocab, F = 4C. The matching line of Hugging Face's modeling_gpt2.py is above each
// step.
#include "gpt2-train.h"

#include "backends.h"
#include "cpu-budget.h"
#include "error.h"

#include "ggml-alloc.h"
#include "ggml-backend.h"
#include "ggml.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

namespace {

constexpr float NORM_EPS = 1e-5f;

struct grad_layer {
    ggml_tensor *ln_1_w, *ln_1_b, *c_attn_w, *c_attn_b, *c_proj_w, *c_proj_b;
    ggml_tensor *ln_2_w, *ln_2_b, *c_fc_w, *c_fc_b, *mlp_proj_w, *mlp_proj_b;
};

}  // namespace

struct gpt2_grad {
    gpt2_grad_params p{};
    ggml_backend_t backend = nullptr;
    int32_t n_threads = 1;                   // compute threads (n_threads resolved and capped)
    ggml_context * ctx_static = nullptr;     // parameters, inputs, the loss's gradient seed
    ggml_context * ctx_compute = nullptr;    // the graph's ops (no data)
    ggml_backend_buffer_t buf_static = nullptr;
    ggml_gallocr_t galloc = nullptr;
    ggml_cgraph * gb = nullptr;              // forward, then backward
    std::vector<ggml_tensor *> params;       // in the order of the flat array
    std::vector<ggml_tensor *> grads;        // the gradient of each parameter (nullptr: it is 0)
    ggml_tensor *tokens = nullptr, *positions = nullptr, *labels = nullptr, *loss = nullptr;
    int64_t n_params = 0;
    std::vector<int32_t> label_ones;         // the targets whose 1 the labels tensor holds (the rest is 0)

    ~gpt2_grad() {
        if (galloc) ggml_gallocr_free(galloc);
        if (buf_static) ggml_backend_buffer_free(buf_static);
        if (ctx_compute) ggml_free(ctx_compute);
        if (ctx_static) ggml_free(ctx_static);
        if (backend) ggml_backend_free(backend);
    }
};

namespace {

ggml_tensor * param(gpt2_grad * g, ggml_tensor * t, const char * name) {
    ggml_set_name(t, name);
    ggml_set_param(t);
    g->params.push_back(t);
    g->n_params += ggml_nelements(t);
    return t;
}

// LayerNorm over ne0: (x - mean) / sqrt(var + eps) * w + b, from differentiable ops
// (row means as SUM_ROWS scaled: MEAN's backward pass treats it as a mean of the whole tensor)
ggml_tensor * layer_norm(ggml_context * ctx, ggml_tensor * x, ggml_tensor * w, ggml_tensor * b) {
    const float inv_c = 1.0f / (float) x->ne[0];
    ggml_tensor * mean = ggml_scale(ctx, ggml_sum_rows(ctx, x), inv_c);                            // [1, N]
    ggml_tensor * xc   = ggml_sub(ctx, x, ggml_repeat(ctx, mean, x));                               // [C, N]
    ggml_tensor * var  = ggml_scale(ctx, ggml_sum_rows(ctx, ggml_sqr(ctx, xc)), inv_c);             // [1, N]
    ggml_tensor * sd   = ggml_sqrt(ctx, ggml_scale_bias(ctx, var, 1.0f, NORM_EPS));                // [1, N]
    ggml_tensor * n    = ggml_div(ctx, xc, ggml_repeat(ctx, sd, xc));                              // [C, N]
    return ggml_add(ctx, ggml_mul(ctx, n, ggml_repeat(ctx, w, n)), ggml_repeat(ctx, b, n));
}

// y = x @ W + b
ggml_tensor * linear(ggml_context * ctx, ggml_tensor * x, ggml_tensor * w, ggml_tensor * b) {
    ggml_tensor * y = ggml_mul_mat(ctx, w, x);
    return ggml_add(ctx, y, ggml_repeat(ctx, b, y));
}

// gelu_new(x) = 0.5 x (1 + tanh(u)) = x * sigmoid(2u) = x * exp(-softplus(-2u)),
// u = sqrt(2/pi) (x + 0.044715 x^3)
ggml_tensor * gelu_tanh(ggml_context * ctx, ggml_tensor * x) {
    const float k = 0.7978845608028654f;
    ggml_tensor * x3 = ggml_mul(ctx, ggml_sqr(ctx, x), x);
    ggml_tensor * u  = ggml_scale(ctx, ggml_add(ctx, x, ggml_scale(ctx, x3, 0.044715f)), k);
    ggml_tensor * sp = ggml_softplus(ctx, ggml_scale(ctx, u, -2.0f));
    return ggml_mul(ctx, x, ggml_exp(ctx, ggml_neg(ctx, sp)));
}

gpt2_status check_params(const gpt2_grad_params & p) {
    const char * fn = "gpt2_grad_new";
    if (p.n_vocab < 2 || p.n_vocab > (1 << 20)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_vocab %d is out of range [2, %d]", fn, p.n_vocab, 1 << 20);
    }
    if (p.n_ctx < 1 || p.n_ctx > (1 << 16)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_ctx %d is out of range [1, %d]", fn, p.n_ctx, 1 << 16);
    }
    if (p.n_head < 1 || p.n_embd < 1 || p.n_embd % p.n_head != 0 || p.n_embd > (1 << 16)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_embd %d must be a positive multiple of n_head %d (at most %d)", fn,
                         p.n_embd, p.n_head, 1 << 16);
    }
    if (p.n_layer < 1 || p.n_layer > 1024) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_layer %d is out of range [1, 1024]", fn, p.n_layer);
    }
    if (p.n_seq < 1 || p.n_seq > p.n_ctx) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_seq %d is out of range [1, n_ctx = %d]", fn, p.n_seq, p.n_ctx);
    }
    if (p.n_batch < 1 || (int64_t) p.n_batch * p.n_seq > (1 << 20)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_batch %d x n_seq %d must be in [1, %d] tokens", fn, p.n_batch,
                         p.n_seq, 1 << 20);
    }
    if ((int64_t) p.n_batch * p.n_seq * p.n_vocab > ((int64_t) 1 << 31)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_batch * n_seq * n_vocab = %lld logits is more than 2^31", fn,
                         (long long) p.n_batch * p.n_seq * p.n_vocab);
    }
    if (p.n_threads > GGML_MAX_N_THREADS) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_threads %d is more than %d", fn, p.n_threads, GGML_MAX_N_THREADS);
    }
    return GPT2_OK;
}

gpt2_status build(gpt2_grad * g) {
    const char * fn = "gpt2_grad_new";
    const gpt2_grad_params & p = g->p;
    const int64_t C = p.n_embd, H = p.n_head, D = C / H, T = p.n_seq, B = p.n_batch, N = T * B, V = p.n_vocab;

    gpt2_status st = gpt2_backends_init(fn);
    if (st != GPT2_OK) return st;
    ggml_backend_dev_t cpu = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU);
    g->backend = cpu ? ggml_backend_dev_init(cpu, nullptr) : nullptr;
    if (g->backend == nullptr) return gpt2_fail(GPT2_ERR_BACKEND, "%s: cannot start the CPU backend", fn);
    const gpt2_cpu_api api = gpt2_cpu_api_of(g->backend);
    // the CPUs of this process by default, and never more (cpu-budget.h)
    g->n_threads = p.n_threads > 0 ? std::min(p.n_threads, gpt2_cpu_count()) : gpt2_cpu_count();
    if (api.set_n_threads != nullptr) api.set_n_threads(g->backend, g->n_threads);

    const size_t n_static = 16 + 12 * (size_t) p.n_layer;
    ggml_init_params sp = { n_static * ggml_tensor_overhead(), nullptr, true };
    g->ctx_static = ggml_init(sp);
    const size_t graph_size = 1024 + 512 * (size_t) p.n_layer;
    ggml_init_params cp = { graph_size * 4 * ggml_tensor_overhead() + 3 * ggml_graph_overhead_custom(graph_size, true),
                            nullptr, true };
    g->ctx_compute = ggml_init(cp);
    if (g->ctx_static == nullptr || g->ctx_compute == nullptr) return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: out of memory", fn);
    ggml_context * cs = g->ctx_static;
    ggml_context * ctx = g->ctx_compute;

    // the parameters, in the order of the flat array (GGUF order)
    ggml_tensor * wte = param(g, ggml_new_tensor_2d(cs, GGML_TYPE_F32, C, V), "token_embd.weight");
    ggml_tensor * wpe = param(g, ggml_new_tensor_2d(cs, GGML_TYPE_F32, C, p.n_ctx), "position_embd.weight");
    std::vector<grad_layer> layers(p.n_layer);
    for (int il = 0; il < p.n_layer; il++) {
        grad_layer & l = layers[il];
        auto vec = [&](int64_t n, const char * what) {
            char name[GGML_MAX_NAME];
            snprintf(name, sizeof(name), "blk.%d.%s", il, what);
            return param(g, ggml_new_tensor_1d(cs, GGML_TYPE_F32, n), name);
        };
        auto mat = [&](int64_t in, int64_t out, const char * what) {
            char name[GGML_MAX_NAME];
            snprintf(name, sizeof(name), "blk.%d.%s", il, what);
            return param(g, ggml_new_tensor_2d(cs, GGML_TYPE_F32, in, out), name);
        };
        l.ln_1_w = vec(C, "attn_norm.weight");
        l.ln_1_b = vec(C, "attn_norm.bias");
        l.c_attn_w = mat(C, 3 * C, "attn_qkv.weight");
        l.c_attn_b = vec(3 * C, "attn_qkv.bias");
        l.c_proj_w = mat(C, C, "attn_output.weight");
        l.c_proj_b = vec(C, "attn_output.bias");
        l.ln_2_w = vec(C, "ffn_norm.weight");
        l.ln_2_b = vec(C, "ffn_norm.bias");
        l.c_fc_w = mat(C, 4 * C, "ffn_up.weight");
        l.c_fc_b = vec(4 * C, "ffn_up.bias");
        l.mlp_proj_w = mat(4 * C, C, "ffn_down.weight");
        l.mlp_proj_b = vec(C, "ffn_down.bias");
    }
    ggml_tensor * ln_f_w = param(g, ggml_new_tensor_1d(cs, GGML_TYPE_F32, C), "output_norm.weight");
    ggml_tensor * ln_f_b = param(g, ggml_new_tensor_1d(cs, GGML_TYPE_F32, C), "output_norm.bias");

    g->tokens    = ggml_new_tensor_1d(cs, GGML_TYPE_I32, N);
    g->positions = ggml_new_tensor_1d(cs, GGML_TYPE_I32, N);
    g->labels    = ggml_new_tensor_2d(cs, GGML_TYPE_F32, V, N);
    for (ggml_tensor * t : {g->tokens, g->positions, g->labels}) ggml_set_input(t);

    // inputs_embeds = self.wte(input_ids); hidden_states = inputs_embeds + self.wpe(position_ids)
    ggml_tensor * x = ggml_add(ctx, ggml_get_rows(ctx, wte, g->tokens), ggml_get_rows(ctx, wpe, g->positions));  // [C, N]
    for (int il = 0; il < p.n_layer; il++) {
        const grad_layer & l = layers[il];
        // hidden_states = self.ln_1(hidden_states); qkv = self.c_attn(hidden_states)
        ggml_tensor * qkv = linear(ctx, layer_norm(ctx, x, l.ln_1_w, l.ln_1_b), l.c_attn_w, l.c_attn_b);      // [3C, N]
        // query, key, value = qkv.split(C); each .view(B, T, H, D)
        auto head = [&](int part) {
            ggml_tensor * v = ggml_view_2d(ctx, qkv, C, N, qkv->nb[1], part * C * sizeof(float));
            return ggml_reshape_4d(ctx, ggml_cont(ctx, v), D, H, T, B);                                       // [D, H, T, B]
        };
        ggml_tensor * q = ggml_cont(ctx, ggml_permute(ctx, head(0), 0, 2, 1, 3));                              // [D, T, H, B]
        ggml_tensor * k = ggml_cont(ctx, ggml_permute(ctx, head(1), 0, 2, 1, 3));                              // [D, T, H, B]
        ggml_tensor * vt = ggml_cont(ctx, ggml_permute(ctx, head(2), 1, 2, 0, 3));                             // [T, D, H, B]
        // attn_weights = softmax(query @ key.T / sqrt(D) + causal_mask)
        ggml_tensor * kq = ggml_mul_mat(ctx, k, q);                                                            // [T, T, H, B]
        kq = ggml_diag_mask_inf(ctx, kq, 0);
        kq = ggml_soft_max_ext(ctx, kq, nullptr, 1.0f / sqrtf((float) D), 0.0f);
        // attn_output = attn_weights @ value, heads merged
        ggml_tensor * kqv = ggml_mul_mat(ctx, vt, kq);                                                         // [D, T, H, B]
        ggml_tensor * merged = ggml_reshape_2d(ctx, ggml_cont(ctx, ggml_permute(ctx, kqv, 0, 2, 1, 3)), C, N); // [C, N]
        // hidden_states = self.c_proj(attn_output) + residual
        x = ggml_add(ctx, linear(ctx, merged, l.c_proj_w, l.c_proj_b), x);                                    // [C, N]
        // hidden_states = residual + self.mlp(self.ln_2(hidden_states))
        ggml_tensor * h = linear(ctx, layer_norm(ctx, x, l.ln_2_w, l.ln_2_b), l.c_fc_w, l.c_fc_b);            // [F, N]
        x = ggml_add(ctx, x, linear(ctx, gelu_tanh(ctx, h), l.mlp_proj_w, l.mlp_proj_b));                     // [C, N]
    }
    // lm_logits = self.lm_head(self.ln_f(hidden_states)), lm_head tied to wte
    ggml_tensor * logits = ggml_mul_mat(ctx, wte, layer_norm(ctx, x, ln_f_w, ln_f_b));                        // [V, N]
    // loss = CrossEntropyLoss()(lm_logits, labels), the mean over the N tokens
    g->loss = ggml_cross_entropy_loss(ctx, logits, g->labels);                                                 // [1]
    ggml_set_output(g->loss);
    ggml_set_loss(g->loss);

    ggml_cgraph * gf = ggml_new_graph_custom(ctx, graph_size, true);
    ggml_build_forward_expand(gf, g->loss);

    // the loss's gradient seed (1) in the static buffer, where the allocator cannot reuse it
    const int n_nodes = ggml_graph_n_nodes(gf);
    std::vector<ggml_tensor *> grad_accs(n_nodes, nullptr);
    for (int i = 0; i < n_nodes; i++) {
        if (ggml_graph_node(gf, i) == g->loss) grad_accs[i] = ggml_new_tensor_1d(cs, GGML_TYPE_F32, 1);
    }
    g->buf_static = ggml_backend_alloc_ctx_tensors(cs, g->backend);
    if (g->buf_static == nullptr) return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: cannot allocate the parameters", fn);

    g->gb = ggml_graph_dup(ctx, gf, true);
    ggml_build_backward_expand(ctx, g->gb, grad_accs.data());
    for (ggml_tensor * t : g->params) {
        ggml_tensor * gr = ggml_graph_get_grad(g->gb, t);
        if (gr != nullptr) ggml_set_output(gr);
        g->grads.push_back(gr);
    }
    g->galloc = ggml_gallocr_new(ggml_backend_get_default_buffer_type(g->backend));
    if (g->galloc == nullptr || !ggml_gallocr_alloc_graph(g->galloc, g->gb)) {
        return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: cannot allocate the activations and gradients", fn);
    }

    ggml_backend_buffer_clear(g->buf_static, 0);  // the labels start all 0; compute sets and resets their 1s
    std::vector<int32_t> pos(N);                   // the same positions every batch: written once
    for (int64_t i = 0; i < N; i++) pos[i] = (int32_t) (i % T);
    ggml_backend_tensor_set(g->positions, pos.data(), 0, ggml_nbytes(g->positions));
    return GPT2_OK;
}

}  // namespace

gpt2_grad_params gpt2_grad_default_params(void) {
    gpt2_grad_params p;
    p.n_vocab   = 512;
    p.n_ctx     = 128;
    p.n_embd    = 64;
    p.n_head    = 4;
    p.n_layer   = 2;
    p.n_batch   = 1;
    p.n_seq     = 64;
    p.n_threads = 0;
    return p;
}

gpt2_grad * gpt2_grad_new(const gpt2_grad_params * params) {
    std::unique_ptr<gpt2_grad> g;
    gpt2_status st = gpt2_guard(__func__, [&]() -> gpt2_status {
        if (params == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_grad_new: params is NULL");
        gpt2_status c = check_params(*params);
        if (c != GPT2_OK) return c;
        g = std::make_unique<gpt2_grad>();
        g->p = *params;
        return build(g.get());
    });
    return st == GPT2_OK ? g.release() : nullptr;
}

void gpt2_grad_free(gpt2_grad * grad) {
    delete grad;
}

int64_t gpt2_grad_n_params(const gpt2_grad * grad) {
    return grad ? grad->n_params : -1;
}

gpt2_status gpt2_grad_compute(gpt2_grad * g, const float * params, const int32_t * inputs, const int32_t * targets,
                              float * grads, float * loss) {
    const char * fn = "gpt2_grad_compute";
    if (g == nullptr || params == nullptr || inputs == nullptr || targets == nullptr || loss == nullptr) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: grad, params, inputs, targets and loss must not be NULL", fn);
    }
    const int64_t N = (int64_t) g->p.n_batch * g->p.n_seq, V = g->p.n_vocab;
    for (int64_t i = 0; i < N; i++) {
        if (inputs[i] < 0 || inputs[i] >= V || targets[i] < 0 || targets[i] >= V) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: token %lld: input %d or target %d is outside [0, %lld)", fn,
                             (long long) i, inputs[i], targets[i], (long long) V);
        }
    }
    return gpt2_guard(fn, [&]() -> gpt2_status {
        int64_t off = 0;
        for (ggml_tensor * t : g->params) {
            ggml_backend_tensor_set(t, params + off, 0, ggml_nbytes(t));
            off += ggml_nelements(t);
        }
        ggml_backend_tensor_set(g->tokens, inputs, 0, ggml_nbytes(g->tokens));
        // one-hot labels: move each row's 1 from the last call's target to this call's, rather than
        // writing all N x V floats again
        const float zero = 0.0f, one = 1.0f;
        for (size_t i = 0; i < g->label_ones.size(); i++) {
            ggml_backend_tensor_set(g->labels, &zero, ((size_t) i * V + g->label_ones[i]) * sizeof(float), sizeof(float));
        }
        for (int64_t i = 0; i < N; i++) {
            ggml_backend_tensor_set(g->labels, &one, ((size_t) i * V + targets[i]) * sizeof(float), sizeof(float));
        }
        g->label_ones.assign(targets, targets + N);

        ggml_graph_reset(g->gb);  // the loss's gradient seed to 1
        ggml_status st;
        {
            // exactly its threads (waiting while evals hold the CPUs): the gradients' reductions depend on
            // the thread count, and a run must repeat itself for a given one
            gpt2_cpu_lease lease(g->n_threads, /*exact =*/ true);
            const gpt2_cpu_api api = gpt2_cpu_api_of(g->backend);
            if (api.set_n_threads != nullptr) api.set_n_threads(g->backend, lease.granted());
            st = ggml_backend_graph_compute(g->backend, g->gb);
        }
        if (st != GGML_STATUS_SUCCESS) {
            return gpt2_fail(GPT2_ERR_BACKEND, "%s: the backend failed", fn);
        }
        ggml_backend_tensor_get(g->loss, loss, 0, sizeof(float));
        if (grads != nullptr) {
            off = 0;
            for (size_t i = 0; i < g->params.size(); i++) {
                const int64_t n = ggml_nelements(g->params[i]);
                if (g->grads[i] != nullptr) {
                    ggml_backend_tensor_get(g->grads[i], grads + off, 0, (size_t) n * sizeof(float));
                } else {
                    std::memset(grads + off, 0, (size_t) n * sizeof(float));
                }
                off += n;
            }
        }
        return GPT2_OK;
    });
}
