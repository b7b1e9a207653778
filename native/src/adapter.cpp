// adapter.cpp: gpt2_adapter_load and the adapter's getters (gpt2.h, "LoRA adapters").
//
// As for a model, every fact taken from the file is checked here before ggml sees it: a malformed,
// truncated or foreign file, or one made for another shape of model, gives GPT2_ERR_FORMAT with a
// message naming the file and the fault.
#include "adapter.h"

#include "error.h"
#include "gguf-read.h"
#include "log.h"
#include "text.h"

#include "ggml-alloc.h"

#include <cinttypes>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>

gpt2_adapter::~gpt2_adapter() {
    if (buf != nullptr) ggml_backend_buffer_free(buf);
    if (ctx != nullptr) ggml_free(ctx);
    if (gguf != nullptr) gguf_free(gguf);
    gpt2_model_release(model);
}

void gpt2_adapter_release(gpt2_adapter * adapter) {
    if (adapter != nullptr && adapter->refs.fetch_sub(1) == 1) {
        delete adapter;
    }
}

namespace {

// The types an adapter's pair may have: those ggml's products take in every backend, unquantized
// (a rank is rarely a multiple of a quantization block).
bool is_pair_type(ggml_type t) {
    return t == GGML_TYPE_F32 || t == GGML_TYPE_F16 || t == GGML_TYPE_BF16;
}

gpt2_status load(gpt2_adapter & ad, const char * fn) {
    const gpt2_model & m = *ad.model;
    const std::string & path = ad.path;
    auto format_error = [&](const std::string & what) {
        return gpt2_fail(GPT2_ERR_FORMAT, "%s: %s: %s", fn, path.c_str(), what.c_str());
    };

    gpt2_file_map file;
    std::string err;
    if (!file.open(path, err)) {
        return err == "empty file" ? format_error("empty file, not a GGUF adapter")
                                   : gpt2_fail(GPT2_ERR_IO, "%s: %s: cannot open: %s", fn, path.c_str(), err.c_str());
    }
    if (file.size < 8 || memcmp(file.addr, "GGUF", 4) != 0) {
        return format_error("not a GGUF file (bad magic)");
    }
    std::string why;
    ad.gguf = gpt2_gguf_parse(file, &ad.ctx, fn, path, why);
    if (ad.gguf == nullptr) {
        return format_error("malformed or truncated GGUF" + (why.empty() ? std::string() : " (" + why + ")"));
    }

    // what it is: a LoRA adapter (llama.cpp's keys) for a GPT-2
    gpt2_gguf_reader R{ad.gguf, {}};
    std::string arch, type, adapter_type;
    if (!R.get_str(GPT2_KV_ARCHITECTURE, true, arch)) return format_error(R.err);
    if (!R.get_str(GPT2_KV_GENERAL_TYPE, true, type)) return format_error(R.err);
    if (type != "adapter") {
        return format_error(GPT2_KV_GENERAL_TYPE " is " + gpt2_quote(type) + ", expected \"adapter\" (a model file is loaded with gpt2_model_load)");
    }
    if (!R.get_str(GPT2_KV_ADAPTER_TYPE, true, adapter_type)) return format_error(R.err);
    if (adapter_type != "lora") {
        return format_error(GPT2_KV_ADAPTER_TYPE " is " + gpt2_quote(adapter_type) + ", expected \"lora\"");
    }
    if (arch != GPT2_ARCH_NAME) {
        return format_error(GPT2_KV_ARCHITECTURE " is " + gpt2_quote(arch) + ", expected \"" GPT2_ARCH_NAME "\"");
    }
    if (!R.get_str(GPT2_KV_NAME, false, ad.name)) return format_error(R.err);
    if (const int64_t id = gguf_find_key(ad.gguf, GPT2_KV_LORA_ALPHA); id >= 0) {
        if (gguf_get_kv_type(ad.gguf, id) != GGUF_TYPE_FLOAT32) {
            return format_error(std::string("key " GPT2_KV_LORA_ALPHA " has type ") + gguf_type_name(gguf_get_kv_type(ad.gguf, id)) +
                                ", expected f32");
        }
        ad.alpha = gguf_get_val_f32(ad.gguf, id);
        if (!std::isfinite(ad.alpha) || ad.alpha < 0.0f) {
            return format_error("key " GPT2_KV_LORA_ALPHA " = " + std::to_string(ad.alpha) + " is not a finite number >= 0");
        }
    }

    // the pairs: <matrix>.lora_a [in, rank] and <matrix>.lora_b [rank, out], for matrices of the model's blocks
    const gpt2_hparams & hp = m.hparams;
    const int64_t E = hp.n_embd, F = hp.n_ff;
    struct target { int il; gpt2_lora_target which; int64_t in, out; };
    const int64_t in_of[GPT2_LORA_N_TARGETS]  = {E, E, E, F};
    const int64_t out_of[GPT2_LORA_N_TARGETS] = {3 * E, E, F, E};
    std::map<std::string, target> targets;
    char name[GGML_MAX_NAME + 16];
    for (int il = 0; il < hp.n_layer; il++) {
        for (int w = 0; w < GPT2_LORA_N_TARGETS; w++) {
            snprintf(name, sizeof(name), gpt2_lora_target_names[w], il);
            targets.emplace(name, target{il, (gpt2_lora_target) w, in_of[w], out_of[w]});
        }
    }
    ad.layers.assign((size_t) hp.n_layer, {});
    const size_t data_offset = gguf_get_data_offset(ad.gguf);
    const int64_t n_tensors = gguf_get_n_tensors(ad.gguf);
    int64_t bytes = 0;
    for (int64_t id = 0; id < n_tensors; id++) {
        const std::string tname = gguf_get_tensor_name(ad.gguf, id);
        const bool is_a = tname.size() > 7 && tname.compare(tname.size() - 7, 7, ".lora_a") == 0;
        const bool is_b = tname.size() > 7 && tname.compare(tname.size() - 7, 7, ".lora_b") == 0;
        if (!is_a && !is_b) {
            return format_error("tensor " + gpt2_quote(tname) + " is not a LoRA tensor (<matrix>.lora_a or <matrix>.lora_b)");
        }
        const std::string base = tname.substr(0, tname.size() - 7);
        auto it = targets.find(base);
        if (it == targets.end()) {
            return format_error("tensor " + gpt2_quote(tname) + " adapts " + gpt2_quote(base) + ", which is not the attn_qkv, " +
                                "attn_output, ffn_up or ffn_down matrix of one of the model's " + std::to_string(hp.n_layer) +
                                " blocks");
        }
        const target & t = it->second;
        ggml_tensor * x = ggml_get_tensor(ad.ctx, tname.c_str());
        if (x == nullptr) return format_error("tensor " + tname + " has no metadata");
        if (!is_pair_type(x->type)) {
            return format_error("tensor " + tname + " has type " + ggml_type_name(x->type) + ", not f32, f16 or bf16");
        }
        // A: [in, rank], B: [rank, out]; rank in [1, min(in, out)] (a larger one adds nothing a dense delta lacks)
        const int64_t rank = is_a ? x->ne[1] : x->ne[0];
        const bool shape_ok = (is_a ? x->ne[0] == t.in : x->ne[1] == t.out) && x->ne[2] == 1 && x->ne[3] == 1 && rank >= 1 &&
                              rank <= std::min(t.in, t.out);
        if (!shape_ok) {
            char buf[320];
            snprintf(buf, sizeof(buf), "tensor %s has shape [%" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 "], expected %s with a rank "
                     "in [1, %" PRId64 "]", tname.c_str(), x->ne[0], x->ne[1], x->ne[2], x->ne[3],
                     is_a ? ("[" + std::to_string(t.in) + ", rank]").c_str() : ("[rank, " + std::to_string(t.out) + "]").c_str(),
                     std::min(t.in, t.out));
            return format_error(buf);
        }
        const size_t off = gguf_get_tensor_offset(ad.gguf, id), nbytes = ggml_nbytes(x);
        if (data_offset > file.size || off > file.size - data_offset || nbytes > file.size - data_offset - off) {
            return format_error("tensor " + tname + " ends past the end of the file (" + std::to_string(file.size) + " bytes): truncated?");
        }
        gpt2_lora_pair & p = ad.layers[(size_t) t.il][t.which];
        (is_a ? p.a : p.b) = x;
        bytes += (int64_t) nbytes;
    }
    // by block, then in enum gpt2_lora_target's order (the Java engine's LoraGguf reports the same first fault)
    for (int64_t k = 0; k < (int64_t) hp.n_layer * GPT2_LORA_N_TARGETS; k++) {
        const int il = (int) (k / GPT2_LORA_N_TARGETS), which = (int) (k % GPT2_LORA_N_TARGETS);
        snprintf(name, sizeof(name), gpt2_lora_target_names[which], il);
        const std::string tname = name;
        const gpt2_lora_pair & p = ad.layers[(size_t) il][which];
        if ((p.a == nullptr) != (p.b == nullptr)) {
            return format_error("tensor " + tname + (p.a == nullptr ? ".lora_a" : ".lora_b") + " is missing (" + tname +
                                (p.a == nullptr ? ".lora_b" : ".lora_a") + " has no pair)");
        }
        if (p.a == nullptr) continue;
        if (p.a->ne[1] != p.b->ne[0]) {
            return format_error("the ranks of " + tname + ".lora_a (" + std::to_string(p.a->ne[1]) + ") and .lora_b (" +
                                std::to_string(p.b->ne[0]) + ") differ");
        }
        ad.n_matrices++;
        ad.rank = std::max(ad.rank, (int32_t) p.a->ne[1]);
    }
    if (ad.n_matrices == 0) return format_error("no LoRA tensors: the adapter adapts nothing");

    // copy the pairs to the model's device; the file is released on return
    ad.buf = ggml_backend_alloc_ctx_tensors_from_buft(ad.ctx, ggml_backend_dev_buffer_type(m.dev));
    if (ad.buf == nullptr) {
        return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: %s: cannot allocate %" PRId64 " bytes of adapter weights on %s", fn,
                         path.c_str(), bytes, m.backend_name.c_str());
    }
    ggml_backend_buffer_set_usage(ad.buf, GGML_BACKEND_BUFFER_USAGE_WEIGHTS);
    const char * data = (const char *) file.addr + data_offset;
    for (int64_t id = 0; id < n_tensors; id++) {
        ggml_tensor * x = ggml_get_tensor(ad.ctx, gguf_get_tensor_name(ad.gguf, id));
        ggml_backend_tensor_set(x, data + gguf_get_tensor_offset(ad.gguf, id), 0, ggml_nbytes(x));
    }
    GPT2_LOG_I("%s: %s: LoRA of rank %d on %d matrices, alpha %g, %.1f KiB on %s", fn, path.c_str(), ad.rank, ad.n_matrices,
               (double) ad.alpha, bytes / 1024.0, m.backend_name.c_str());
    return GPT2_OK;
}

}  // namespace

gpt2_adapter * gpt2_adapter_load(gpt2_model * model, const char * path) {
    gpt2_log_init();
    std::unique_ptr<gpt2_adapter, void (*)(gpt2_adapter *)> ad(nullptr, gpt2_adapter_release);
    gpt2_status st = gpt2_guard(__func__, [&]() -> gpt2_status {
        if (model == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_adapter_load: model is NULL");
        if (path == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_adapter_load: path is NULL");
        ad.reset(new gpt2_adapter());
        model->refs.fetch_add(1);
        ad->model = model;
        ad->path  = path;
        return load(*ad, "gpt2_adapter_load");
    });
    return st == GPT2_OK ? ad.release() : nullptr;
}

void gpt2_adapter_free(gpt2_adapter * adapter) {
    gpt2_adapter_release(adapter);
}

int32_t gpt2_adapter_rank(const gpt2_adapter * a)       { return a ? a->rank : GPT2_ERR_INVALID_ARG; }
int32_t gpt2_adapter_n_matrices(const gpt2_adapter * a) { return a ? a->n_matrices : GPT2_ERR_INVALID_ARG; }
float   gpt2_adapter_alpha(const gpt2_adapter * a)      { return a ? a->alpha : 0.0f; }
const char * gpt2_adapter_name(const gpt2_adapter * a)  { return a ? a->name.c_str() : ""; }
