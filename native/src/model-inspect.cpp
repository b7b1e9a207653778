// model-inspect.cpp: reading the model's own matrices for inspection: token embeddings, and
// hidden states projected to logits (the logit lens).
#include "model.h"

#include "error.h"

#include "ggml-alloc.h"
#include "backends.h"
#include "cpu-budget.h"

#include <algorithm>
#include <memory>
#include <vector>

gpt2_status gpt2_model_token_embeddings(const gpt2_model * m, int32_t first, int32_t n, float * dst) {
    const char * fn = "gpt2_model_token_embeddings";
    if (m == nullptr || dst == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: model or dst is NULL", fn);
    if (first < 0 || n < 0 || (int64_t) first + n > m->hparams.n_vocab) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: rows [%d, %d + %d) are not within [0, %d)", fn, first, first, n,
                         m->hparams.n_vocab);
    }
    return gpt2_guard(fn, [&] {
        const ggml_tensor * wte = m->wte;
        const size_t row = wte->nb[1];
        const auto * traits = ggml_get_type_traits(wte->type);
        std::vector<uint8_t> buf(row);
        for (int32_t i = 0; i < n; i++) {
            ggml_backend_tensor_get(wte, buf.data(), (size_t) (first + i) * row, row);
            float * out = dst + (size_t) i * m->hparams.n_embd;
            if (wte->type == GGML_TYPE_F32) {
                std::copy((const float *) buf.data(), (const float *) buf.data() + m->hparams.n_embd, out);
            } else {
                traits->to_float(buf.data(), out, m->hparams.n_embd);
            }
        }
        return GPT2_OK;
    });
}

gpt2_status gpt2_model_unembed(const gpt2_model * m, const float * hidden, int32_t n, uint8_t apply_final_norm, float * out) {
    const char * fn = "gpt2_model_unembed";
    if (m == nullptr || hidden == nullptr || out == nullptr) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: model, hidden or out is NULL", fn);
    }
    if (n < 1 || n > 65536) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n %d is out of range [1, 65536]", fn, n);
    if (apply_final_norm > 1) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: apply_final_norm must be 0 or 1", fn);
    return gpt2_guard(fn, [&]() -> gpt2_status {
        const int64_t E = m->hparams.n_embd;
        // a graph of its own: x [E, n] -> (ln_f) -> lm_head -> [V, n]
        std::vector<uint8_t> meta(ggml_tensor_overhead() * 16 + ggml_graph_overhead());
        ggml_init_params ip = { meta.size(), meta.data(), true };
        std::unique_ptr<ggml_context, decltype(&ggml_free)> ctx(ggml_init(ip), ggml_free);
        ggml_tensor * x = ggml_new_tensor_2d(ctx.get(), GGML_TYPE_F32, E, n);
        ggml_set_input(x);
        ggml_tensor * cur = x;
        if (apply_final_norm) {
            cur = ggml_add(ctx.get(), ggml_mul(ctx.get(), ggml_norm(ctx.get(), cur, m->hparams.norm_eps), m->ln_f_w), m->ln_f_b);
        }
        ggml_tensor * logits = ggml_mul_mat(ctx.get(), m->lm_head, cur);
        ggml_set_output(logits);
        ggml_cgraph * gf = ggml_new_graph(ctx.get());
        ggml_build_forward_expand(gf, logits);

        std::unique_ptr<ggml_backend, decltype(&ggml_backend_free)> backend(ggml_backend_dev_init(m->dev, nullptr),
                                                                          ggml_backend_free);
        if (!backend) return gpt2_fail(GPT2_ERR_BACKEND, "%s: cannot start backend %s", fn, m->backend_name.c_str());
        const gpt2_cpu_api cpu = gpt2_cpu_api_of(backend.get());
        const int32_t n_threads = std::min(m->params.n_threads, gpt2_cpu_count());
        std::unique_ptr<ggml_gallocr, decltype(&ggml_gallocr_free)> galloc(
            ggml_gallocr_new(ggml_backend_get_default_buffer_type(backend.get())), ggml_gallocr_free);
        if (!ggml_gallocr_alloc_graph(galloc.get(), gf)) {
            return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: cannot allocate compute memory for %d rows", fn, n);
        }
        ggml_backend_tensor_set(x, hidden, 0, ggml_nbytes(x));
        ggml_status st;
        if (cpu.set_n_threads != nullptr) {
            gpt2_cpu_lease lease(n_threads);  // waits while evals hold the CPUs (cpu-budget.h)
            cpu.set_n_threads(backend.get(), lease.granted());
            st = ggml_backend_graph_compute(backend.get(), gf);
        } else {
            st = ggml_backend_graph_compute(backend.get(), gf);
        }
        if (st != GGML_STATUS_SUCCESS) {
            return gpt2_fail(GPT2_ERR_BACKEND, "%s: compute failed on %s", fn, m->backend_name.c_str());
        }
        ggml_backend_tensor_get(logits, out, 0, ggml_nbytes(logits));
        return GPT2_OK;
    });
}
