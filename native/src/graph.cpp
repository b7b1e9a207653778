// graph.cpp: the GPT-2 forward pass as a ggml graph, for one batch of tokens.
//
// Shapes are in ggml order (ne0 first): E = n_embd, H = n_head, D = E/H, T = tokens in the
// batch, K = KV cells read (n_kv), O = outputs (tokens whose logits are wanted), V = n_vocab,
// F = n_ff. The matching line of Hugging Face's modeling_gpt2.py is above each step.
#include "session.h"

#include "layer-norm.h"
#include "matmul.h"

#include "ggml-cpp.h"

#include <cmath>

namespace {

// LayerNorm over ne0: y = (x - mean) / sqrt(var + eps) * w + b; on libgpt2's path one node (layer-norm.h)
ggml_tensor * layer_norm(ggml_context * ctx, const gpt2_session * s, ggml_tensor * x, ggml_tensor * w, ggml_tensor * b) {
    const float eps = s->model->hparams.norm_eps;
    if (s->params.matmul == GPT2_MATMUL_LIBGPT2 && gpt2_layer_norm_fits(x, w, b)) return gpt2_layer_norm(ctx, x, w, b, eps);
    x = ggml_norm(ctx, x, eps);
    return ggml_add(ctx, ggml_mul(ctx, x, w), b);
}

// x @ W, W stored [in, out] as ggml [ne0 = in, ne1 = out]: with GPT2_MATMUL_LIBGPT2, libgpt2's kernels
// where they fit (F16/Q8_0/Q4_0 weights, 1 .. 64 columns: matmul.h), else ggml's
// (not for a weight that one of ggml's extra buffer types holds: its layout is theirs, repacked, and
// ggml's product computes it; such a tensor carries the buffer type's traits in `extra`)
ggml_tensor * mat_mul(ggml_context * ctx, ggml_tensor * w, ggml_tensor * x, bool own) {
    const bool plain_layout = w->extra == nullptr;
    return own && plain_layout && gpt2_matmul_fits(w, x) ? gpt2_matmul(ctx, w, x) : ggml_mul_mat(ctx, w, x);
}

// HF "gelu_new": 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))), in F32.
// ggml_gelu on the CPU reads an fp16 table (GGML_GELU_FP16), which costs ~1e-3 relative error;
// composing the formula keeps the forward pass within 1e-4 of PyTorch. (libgpt2's products take it as
// gpt2_gelu_tanh in their epilogue: the same steps in the same order.)
ggml_tensor * gelu_tanh(ggml_context * ctx, ggml_tensor * x) {
    const float sqrt_2_over_pi = 0.7978845608028654f;
    ggml_tensor * inner = ggml_mul(ctx, x, ggml_scale_bias(ctx, ggml_sqr(ctx, x), 0.044715f, 1.0f));  // x + 0.044715 x^3
    ggml_tensor * t     = ggml_tanh(ctx, ggml_scale(ctx, inner, sqrt_2_over_pi));
    return ggml_mul(ctx, x, ggml_scale_bias(ctx, t, 0.5f, 0.5f));                                       // x * (0.5 + 0.5 t)
}

// What follows a linear layer in the block: the MLP's GELU after c_fc; the residual stream's add after
// attn's c_proj and mlp's c_proj.
struct after_linear {
    bool          gelu     = false;
    ggml_tensor * residual = nullptr;
};
const after_linear then_gelu = { true, nullptr };
after_linear then_add(ggml_tensor * residual) { return { false, residual }; }

// y = x @ W + b, and with LoRA adapters on W (gpt2.h) y = x @ W + sum of scale * (x @ A) @ B + b: peft's
// base_layer(x) + lora_B(lora_A(x)) * scaling, in llama.cpp's order (build_lora_mm: the products, then the bias);
// then next's GELU and residual add. Where libgpt2's kernels take the product and no adapter is on W, the
// bias, the GELU (exact) and the residual are the product's epilogue: one node where ggml's graph has up to
// nine (c_fc's product, its bias and the GELU's seven).
ggml_tensor * linear(ggml_context * ctx, const gpt2_session * s, int il, gpt2_lora_target target, ggml_tensor * x,
                     ggml_tensor * w, ggml_tensor * b, after_linear next = {}) {
    const bool own = s->params.matmul == GPT2_MATMUL_LIBGPT2;
    const bool exact_gelu = s->model->params.gelu != GPT2_GELU_FAST;
    bool adapted = false;
    for (const auto & held : s->adapters) adapted |= held.first->layers[(size_t) il][target].a != nullptr;
    const gpt2_matmul_epilogue ep{ b, next.gelu, next.residual };
    if (own && w->extra == nullptr && gpt2_matmul_fits(w, x) && gpt2_matmul_epilogue_fits(ep, w->ne[1], x->ne[1]) &&
        !adapted && (!next.gelu || exact_gelu)) {
        return gpt2_matmul(ctx, w, x, ep);                                                   // [out, T]
    }
    ggml_tensor * y = mat_mul(ctx, w, x, own);                                               // [out, T]
    for (const auto & [adapter, user_scale] : s->adapters) {
        const gpt2_lora_pair & p = adapter->layers[(size_t) il][target];
        if (p.a == nullptr) continue;
        ggml_tensor * ba = ggml_mul_mat(ctx, p.b, ggml_mul_mat(ctx, p.a, x));               // [rank, T] -> [out, T]
        y = ggml_add(ctx, y, ggml_scale(ctx, ba, adapter->scale(p, user_scale)));
    }
    y = ggml_add(ctx, y, b);                                                                 // [out, T]
    if (next.gelu) y = exact_gelu ? gelu_tanh(ctx, y) : ggml_gelu(ctx, y);
    if (next.residual != nullptr) y = ggml_add(ctx, y, next.residual);
    return y;
}

// The interventions of s on (site, layer), applied to x [E, T]: x * scale + add, per token of the
// batch (gpt2.h, "Interventions"); x itself when there are none.
ggml_tensor * intervene(ggml_context * ctx, gpt2_session * s, gpt2_graph_io & io, int32_t site, int32_t layer, ggml_tensor * x) {
    const gpt2_ubatch & ub = s->ub;
    const int64_t E = s->model->hparams.n_embd, D = E / s->model->hparams.n_head, T = ub.n_tokens;
    gpt2_graph_io::site st;
    for (const gpt2_held_intervention & h : s->interventions) {
        if (h.iv.site != site || h.iv.layer != layer) continue;
        if (st.scale_host.empty()) {
            st.scale_host.assign((size_t) (E * T), 1.0f);
            st.add_host.assign((size_t) (E * T), 0.0f);
        }
        const int64_t lo = site == GPT2_SITE_HEAD ? h.iv.head * D : 0, n = site == GPT2_SITE_HEAD ? D : E;
        for (int64_t t = 0; t < T; t++) {
            if (h.iv.pos >= 0 && ub.pos[t] != h.iv.pos) continue;
            for (int64_t e = 0; e < n; e++) {
                const size_t i = (size_t) (t * E + lo + e);
                st.scale_host[i] *= h.iv.scale;
                st.add_host[i] = st.add_host[i] * h.iv.scale + (h.values.empty() ? 0.0f : h.values[e]);
            }
        }
    }
    if (st.scale_host.empty()) return x;
    st.scale = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, E, T);
    st.add   = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, E, T);
    ggml_set_input(st.scale);
    ggml_set_input(st.add);
    ggml_tensor * y = ggml_add(ctx, ggml_mul(ctx, x, st.scale), st.add);
    io.sites.push_back(std::move(st));
    return y;
}

}  // namespace

size_t gpt2_graph_size(const gpt2_session * s) {
    // per layer: 64 nodes (and 4 activation quantizations of libgpt2's matmul), and with flash attention 8
    // per group of tokens; inputs: 2 per group; interventions and the heads' capture: 8 per site; LoRA:
    // 4 per adapted matrix (2 products, a scale, an add)
    const size_t n_groups = s->ub.groups.size(), n_layer = (size_t) s->model->hparams.n_layer;
    const size_t n_lora = 4 * GPT2_LORA_N_TARGETS * s->adapters.size();
    return 64 + 2 * n_groups + (68 + 8 * n_groups + n_lora) * n_layer + 8 * (n_layer + 1);
}

gpt2_graph_io gpt2_build_graph(gpt2_session * s) {
    const gpt2_model   & m  = *s->model;
    const gpt2_hparams & hp = m.hparams;
    const gpt2_ubatch  & ub = s->ub;

    const int64_t E = hp.n_embd, H = hp.n_head, D = E / H;
    const int64_t T = ub.n_tokens, K = ub.n_kv, O = ub.n_outputs;
    const int64_t n_cells = (int64_t) s->kv.cells.size();
    const bool capture_attn   = s->params.capture_attention != 0;
    const bool capture_hidden = s->params.capture_hidden != 0;
    const bool own = s->params.matmul == GPT2_MATMUL_LIBGPT2;

    // the graph and its tensors live in s->graph_mem; the context (malloc'd by ggml_init even on a
    // buffer of ours) is only needed while building, and freed on return
    ggml_init_params ip = { s->graph_mem.size(), s->graph_mem.data(), /*no_alloc =*/ true };
    ggml_context_ptr ctx_owner{ ggml_init(ip) };
    ggml_context * ctx = ctx_owner.get();
    const size_t graph_size = gpt2_graph_size(s);

    gpt2_graph_io io;
    io.gf = ggml_new_graph_custom(ctx, graph_size, false);

    io.inp_tokens = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, T);
    io.inp_pos    = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, T);
    io.inp_k_idx  = ggml_new_tensor_1d(ctx, GGML_TYPE_I64, T);
    io.inp_v_idx  = ggml_new_tensor_1d(ctx, GGML_TYPE_I64, E * T);
    const bool flash_attn = s->params.flash_attn != 0;
    for (ggml_tensor * t : {io.inp_tokens, io.inp_pos, io.inp_k_idx, io.inp_v_idx}) {
        ggml_set_input(t);
    }
    if (flash_attn) {
        // each group (one sequence's tokens): its batch indexes, and its mask over its span of cells
        for (const gpt2_ubatch::group & g : ub.groups) {
            io.inp_group_idx.push_back(ggml_new_tensor_1d(ctx, GGML_TYPE_I32, g.n_tokens));
            io.inp_group_mask.push_back(ggml_new_tensor_2d(ctx, GGML_TYPE_F16, g.span, g.n_tokens));
            ggml_set_input(io.inp_group_idx.back());
            ggml_set_input(io.inp_group_mask.back());
        }
    } else {
        io.inp_mask = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, K, T);
        ggml_set_input(io.inp_mask);
    }
    if (O > 0) {
        io.inp_out_ids = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, O);
        ggml_set_input(io.inp_out_ids);
    }
    auto keep = [&](ggml_tensor * t) { ggml_set_output(t); return t; };

    // inputs_embeds = self.wte(input_ids); hidden_states = inputs_embeds + self.wpe(position_ids)
    ggml_tensor * x = ggml_add(ctx, ggml_get_rows(ctx, m.wte, io.inp_tokens),
                                    ggml_get_rows(ctx, m.wpe, io.inp_pos));                 // [E, T]
    x = intervene(ctx, s, io, GPT2_SITE_RESIDUAL, 0, x);                                       // [E, T]
    if (capture_hidden) io.hidden.push_back(keep(x));

    for (int il = 0; il < hp.n_layer; il++) {
        const gpt2_layer & l = m.layers[il];

        // hidden_states = self.ln_1(hidden_states)
        ggml_tensor * cur = layer_norm(ctx, s, x, l.ln_1_w, l.ln_1_b);                       // [E, T]

        // query, key, value = self.c_attn(hidden_states).split(self.split_size, dim=2)
        ggml_tensor * qkv = linear(ctx, s, il, GPT2_LORA_ATTN_QKV, cur, l.c_attn_w, l.c_attn_b);  // [3E, T]
        ggml_tensor * q = ggml_view_3d(ctx, qkv, D, H, T, D * sizeof(float), qkv->nb[1], 0);                  // [D, H, T]
        ggml_tensor * k = ggml_view_2d(ctx, qkv, E, T, qkv->nb[1], E * sizeof(float));                        // [E, T]
        ggml_tensor * v = ggml_view_2d(ctx, qkv, E, T, qkv->nb[1], 2 * E * sizeof(float));                    // [E, T]

        // present = (key, value): append this batch's keys and values to the cache
        ggml_tensor * k_cache = ggml_set_rows(ctx, s->k_l[il], k, io.inp_k_idx);             // [E, n_cells]

        if (flash_attn) {
            // V as rows, like K; per sequence g of the batch, its Tg queries over its span of Kg cells:
            // softmax(query @ key.T / sqrt(D) + causal_mask) @ value in one op, into its rows of the output
            ggml_tensor * v_cache = ggml_set_rows(ctx, s->v_l[il], v, io.inp_k_idx);         // [E, n_cells]
            const size_t k_row = s->k_l[il]->nb[1], v_row = s->v_l[il]->nb[1];
            ggml_tensor * q_rows = ggml_view_2d(ctx, qkv, E, T, qkv->nb[1], 0);               // [E, T]
            ggml_tensor * out = ggml_view_2d(ctx, s->attn_out, E, T, s->attn_out->nb[1], 0);  // [E, T]
            for (size_t g = 0; g < ub.groups.size(); g++) {
                const gpt2_ubatch::group & gr = ub.groups[g];
                const int64_t Tg = gr.n_tokens, Kg = gr.span;
                ggml_tensor * Qg = gr.first_token >= 0
                    ? ggml_view_3d(ctx, qkv, D, Tg, H, qkv->nb[1], D * sizeof(float),
                                   (size_t) gr.first_token * qkv->nb[1])                     // [D, Tg, H]
                    : ggml_permute(ctx, ggml_reshape_3d(ctx, ggml_get_rows(ctx, q_rows, io.inp_group_idx[g]), D, H, Tg),
                                   0, 2, 1, 3);                                               // [D, Tg, H]
                ggml_tensor * Kv = ggml_view_3d(ctx, k_cache, D, Kg, H, k_row, D * ggml_element_size(s->k_l[il]),
                                                (size_t) gr.lo * k_row);                      // [D, Kg, H]
                ggml_tensor * Vv = ggml_view_3d(ctx, v_cache, D, Kg, H, v_row, D * ggml_element_size(s->v_l[il]),
                                                (size_t) gr.lo * v_row);                      // [D, Kg, H]
                ggml_tensor * kqv = ggml_flash_attn_ext(ctx, Qg, Kv, Vv, io.inp_group_mask[g], 1.0f / sqrtf((float) D),
                                                        0.0f, 0.0f);                          // [D, H, Tg]
                ggml_flash_attn_ext_set_prec(kqv, GGML_PREC_F32);
                out = ggml_set_rows(ctx, out, ggml_reshape_2d(ctx, kqv, E, Tg), io.inp_group_idx[g]);  // [E, T]
            }
            cur = out;
        } else {
            // query.view(B, T, H, D).transpose(1, 2); key likewise, over the cells read
            ggml_tensor * Q  = ggml_permute(ctx, q, 0, 2, 1, 3);                             // [D, T, H]
            ggml_tensor * Kc = ggml_view_3d(ctx, k_cache, D, K, H, s->k_l[il]->nb[1],
                                            D * ggml_element_size(s->k_l[il]), 0);           // [D, K, H]
            ggml_tensor * v_flat  = ggml_view_2d(ctx, s->v_l[il], 1, n_cells * E, ggml_element_size(s->v_l[il]), 0);
            ggml_tensor * v_cache = ggml_set_rows(ctx, v_flat, ggml_reshape_2d(ctx, ggml_cont(ctx, v), 1, E * T),
                                                  io.inp_v_idx);                             // [1, n_cells*E] = [n_cells, E]^T

            // attn_weights = softmax(query @ key.T / sqrt(D) + causal_mask)
            ggml_tensor * kq = ggml_mul_mat(ctx, Kc, Q);                                     // [K, T, H]
            kq = ggml_soft_max_ext(ctx, kq, io.inp_mask, 1.0f / sqrtf((float) D), 0.0f);    // [K, T, H]
            if (capture_attn) io.attn.push_back(keep(kq));

            // attn_output = attn_weights @ value
            const size_t v_row = (size_t) n_cells * ggml_element_size(s->v_l[il]);
            ggml_tensor * Vc  = ggml_view_3d(ctx, v_cache, K, D, H, v_row, D * v_row, 0);   // [K, D, H]
            ggml_tensor * kqv = ggml_mul_mat(ctx, Vc, kq);                                   // [D, T, H]
            cur = ggml_cont_2d(ctx, ggml_permute(ctx, kqv, 0, 2, 1, 3), E, T);              // [E, T]
        }

        // the heads' outputs, intervened and captured before c_proj (flash attention's are in a buffer
        // that the next layer reuses: the capture is a copy)
        cur = intervene(ctx, s, io, GPT2_SITE_HEAD, il, cur);                                  // [E, T]
        if (capture_hidden) {
            ggml_tensor * heads = keep(flash_attn && cur->view_src != nullptr ? ggml_cont(ctx, cur) : cur);
            ggml_build_forward_expand(io.gf, heads);  // here, before the next layer writes the buffer again
            io.heads.push_back(heads);
        }

        // attn_output.transpose(1, 2).reshape(B, T, E); attn_output = self.c_proj(attn_output);
        // hidden_states = attn_output + residual
        // (only the rows with outputs matter after the last attention, unless all are captured or an
        // intervention reads every row: those rows are taken before the residual's add)
        if (il == hp.n_layer - 1 && O > 0 && O < T && !capture_hidden && s->interventions.empty()) {
            cur = linear(ctx, s, il, GPT2_LORA_ATTN_OUT, cur, l.c_proj_w, l.c_proj_b);      // [E, T]
            x = ggml_add(ctx, ggml_get_rows(ctx, cur, io.inp_out_ids),
                              ggml_get_rows(ctx, x, io.inp_out_ids));                        // [E, O]
        } else {
            x = linear(ctx, s, il, GPT2_LORA_ATTN_OUT, cur, l.c_proj_w, l.c_proj_b, then_add(x));  // [E, T]
        }

        // feed_forward_hidden_states = self.mlp(self.ln_2(hidden_states)): c_proj(gelu(c_fc(ln_2(x))));
        // hidden_states = residual + feed_forward_hidden_states
        cur = layer_norm(ctx, s, x, l.ln_2_w, l.ln_2_b);                                     // [E, T]
        cur = linear(ctx, s, il, GPT2_LORA_FFN_UP, cur, l.c_fc_w, l.c_fc_b, then_gelu);       // [F, T]
        x = linear(ctx, s, il, GPT2_LORA_FFN_DOWN, cur, l.mlp_proj_w, l.mlp_proj_b, then_add(x));  // [E, T]
        x = intervene(ctx, s, io, GPT2_SITE_RESIDUAL, il + 1, x);                              // [E, T]
        if (capture_hidden) io.hidden.push_back(keep(x));
    }

    // hidden_states = self.ln_f(hidden_states)
    x = layer_norm(ctx, s, x, m.ln_f_w, m.ln_f_b);                                           // [E, T] or [E, O]
    if (capture_hidden) io.hidden.push_back(keep(x));

    // lm_logits = self.lm_head(hidden_states)
    if (O > 0) {
        if (x->ne[1] != O) {
            x = ggml_get_rows(ctx, x, io.inp_out_ids);                                       // [E, O]
        }
        io.logits = keep(mat_mul(ctx, m.lm_head, x, own));                                   // [V, O]
        ggml_build_forward_expand(io.gf, io.logits);
    }
    ggml_build_forward_expand(io.gf, x);
    return io;
}
