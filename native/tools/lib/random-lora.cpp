// random-lora.cpp: random LoRA adapters for a model file, and the model with them merged
// (gpt2-tools.h), for the tests that compare an adapter applied at run time with its merged model.
#include "gpt2-tools.h"

#include "adapter.h"
#include "error.h"
#include "gpt2-arch.h"

#include "ggml.h"
#include "ggml-cpp.h"
#include "gguf.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

gpt2_random_lora_params gpt2_random_lora_default_params(void) {
    gpt2_random_lora_params p;
    p.rank    = 4;
    p.alpha   = 8.0f;
    p.targets = 0;
    p.layer   = -1;
    p.seed    = 7;
    p.scale   = 0.02f;
    return p;
}

namespace {

// splitmix64: a portable stream (std's distributions differ between standard libraries)
struct stream {
    uint64_t s;
    // uniform in [-1, 1)
    double next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        return (double) (z >> 11) * 0x1.0p-52 - 1.0;
    }
};

}  // namespace

gpt2_status gpt2_write_random_lora(const char * model_path, const char * adapter_path, const char * merged_path,
                                   const gpt2_random_lora_params * params) {
    const char * fn = "gpt2_write_random_lora";
    if (model_path == nullptr || adapter_path == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: a path is NULL", fn);
    const gpt2_random_lora_params p = params ? *params : gpt2_random_lora_default_params();
    if (p.rank < 1) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: rank %d < 1", fn, p.rank);
    if (!std::isfinite(p.alpha) || p.alpha < 0.0f) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: alpha is not finite and >= 0", fn);
    if (p.targets > 15) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: targets 0x%x has bits above 3", fn, p.targets);
    if (!std::isfinite(p.scale)) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: scale is not finite", fn);
    const uint32_t targets = p.targets == 0 ? 15u : p.targets;
    const double sd = p.scale > 0.0f ? p.scale : 0.02;

    // the model, with its data
    ggml_context * raw = nullptr;
    gguf_init_params gp = { /*no_alloc =*/ false, /*ctx =*/ &raw };
    gguf_context_ptr model{ gguf_init_from_file(model_path, gp) };
    ggml_context_ptr model_ctx{ raw };
    if (!model) return gpt2_fail(GPT2_ERR_FORMAT, "%s: %s: cannot read the GGUF", fn, model_path);
    const int64_t kid = gguf_find_key(model.get(), GPT2_KV_BLOCK_COUNT);
    if (kid < 0) return gpt2_fail(GPT2_ERR_FORMAT, "%s: %s: no " GPT2_KV_BLOCK_COUNT, fn, model_path);
    const int n_layer = (int) gguf_get_val_u32(model.get(), kid);
    if (p.layer < -1 || p.layer >= n_layer) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: layer %d out of range", fn, p.layer);

    // the adapter: A [in, rank] and B [rank, out] per target, drawn from the seed, in the model's tensor order
    const size_t per_pair = 2 * ggml_tensor_overhead();
    ggml_init_params ip = { per_pair * 4 * (size_t) n_layer + 1024, nullptr, /*no_alloc =*/ true };
    ggml_context_ptr meta_ctx{ ggml_init(ip) };
    gguf_context_ptr adapter{ gguf_init_empty() };
    gguf_set_val_str(adapter.get(), GPT2_KV_ARCHITECTURE, GPT2_ARCH_NAME);
    gguf_set_val_str(adapter.get(), GPT2_KV_GENERAL_TYPE, "adapter");
    gguf_set_val_str(adapter.get(), GPT2_KV_NAME, "gpt2-random-lora");
    gguf_set_val_str(adapter.get(), GPT2_KV_ADAPTER_TYPE, "lora");
    if (p.alpha != 0.0f) gguf_set_val_f32(adapter.get(), GPT2_KV_LORA_ALPHA, p.alpha);
    std::vector<std::vector<float>> data;   // kept until the file is written
    data.reserve(8 * (size_t) n_layer);
    stream rnd{p.seed};
    const double k = sd * std::sqrt(3.0);   // uniform of standard deviation sd
    const double s = p.alpha != 0.0f ? (double) p.alpha / p.rank : 1.0;
    for (int il = 0; il < n_layer; il++) {
        if (p.layer >= 0 && il != p.layer) continue;
        for (int t = 0; t < GPT2_LORA_N_TARGETS; t++) {
            if (!(targets & (1u << t))) continue;
            char name[GGML_MAX_NAME];
            snprintf(name, sizeof(name), gpt2_lora_target_names[t], il);
            ggml_tensor * w = ggml_get_tensor(model_ctx.get(), name);
            if (w == nullptr) return gpt2_fail(GPT2_ERR_FORMAT, "%s: %s: no tensor %s", fn, model_path, name);
            if (w->type != GGML_TYPE_F32) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: %s: %s is not F32", fn, model_path, name);
            const int64_t in = w->ne[0], out = w->ne[1], r = p.rank;
            if (r > in || r > out) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: rank %d exceeds %s's sides", fn, p.rank, name);
            std::vector<float> a((size_t) (in * r)), b((size_t) (r * out));
            for (float & x : a) x = (float) (rnd.next() * k);
            for (float & x : b) x = (float) (rnd.next() * k);
            if (merged_path != nullptr) {
                // W[o][i] += s * sum_j B[o][j] A[j][i]: ggml rows, A's row j is [in], B's row o is [rank]
                float * wd = (float *) w->data;
                for (int64_t o = 0; o < out; o++) {
                    for (int64_t i = 0; i < in; i++) {
                        double acc = 0.0;
                        for (int64_t j = 0; j < r; j++) acc += (double) b[(size_t) (o * r + j)] * a[(size_t) (j * in + i)];
                        wd[o * in + i] = (float) ((double) wd[o * in + i] + s * acc);
                    }
                }
            }
            const std::string base = name;
            ggml_tensor * ta = ggml_new_tensor_2d(meta_ctx.get(), GGML_TYPE_F32, in, r);
            ggml_tensor * tb = ggml_new_tensor_2d(meta_ctx.get(), GGML_TYPE_F32, r, out);
            ggml_set_name(ta, (base + ".lora_a").c_str());
            ggml_set_name(tb, (base + ".lora_b").c_str());
            data.push_back(std::move(a));
            ta->data = data.back().data();
            data.push_back(std::move(b));
            tb->data = data.back().data();
            gguf_add_tensor(adapter.get(), ta);
            gguf_add_tensor(adapter.get(), tb);
        }
    }
    if (!gguf_write_to_file(adapter.get(), adapter_path, false)) {
        std::remove(adapter_path);
        return gpt2_fail(GPT2_ERR_IO, "%s: cannot write %s", fn, adapter_path);
    }
    if (merged_path != nullptr) {
        gguf_context_ptr merged{ gguf_init_empty() };
        gguf_set_kv(merged.get(), model.get());
        // the model's tensors in its order (its context also holds the file's data blob, not a tensor of it)
        for (int64_t id = 0; id < gguf_get_n_tensors(model.get()); id++) {
            gguf_add_tensor(merged.get(), ggml_get_tensor(model_ctx.get(), gguf_get_tensor_name(model.get(), id)));
        }
        if (!gguf_write_to_file(merged.get(), merged_path, false)) {
            std::remove(merged_path);
            return gpt2_fail(GPT2_ERR_IO, "%s: cannot write %s", fn, merged_path);
        }
    }
    return GPT2_OK;
}
