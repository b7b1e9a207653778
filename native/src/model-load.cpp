// model-load.cpp: gpt2_model_load and the model's getters.
//
// Every fact taken from the file is checked here, before ggml sees it: a malformed, truncated
// or foreign file gives GPT2_ERR_FORMAT with a message naming the file and the fault.
#include "model.h"

#include "error.h"
#include "gguf-read.h"
#include "gpt2-arch.h"
#include "log.h"
#include "text.h"
#include "vocab-bytes.h"

#include "backends.h"

#include "ggml-alloc.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>

#ifndef _WIN32
#    include <fcntl.h>
#    include <sys/mman.h>
#    include <sys/stat.h>
#    include <unistd.h>
#endif

// ---------------------------------------------------------------------------------------------
// file mapping
// ---------------------------------------------------------------------------------------------

gpt2_file_map::~gpt2_file_map() {
#ifndef _WIN32
    if (mapped && addr != nullptr) {
        munmap(addr, size);
        return;
    }
#endif
    free(addr);
}

bool gpt2_file_map::open(const std::string & path, std::string & err) {
#ifndef _WIN32
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        err = strerror(errno);
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        err = "not a regular file";
        ::close(fd);
        return false;
    }
    size = (size_t) st.st_size;
    if (size == 0) {
        err = "empty file";
        ::close(fd);
        return false;
    }
    void * p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) {
        err = std::string("mmap failed: ") + strerror(errno);
        return false;
    }
    addr   = p;
    mapped = true;
    return true;
#else
    FILE * f = fopen(path.c_str(), "rb");
    if (f == nullptr) {
        err = strerror(errno);
        return false;
    }
    _fseeki64(f, 0, SEEK_END);
    size = (size_t) _ftelli64(f);
    _fseeki64(f, 0, SEEK_SET);
    if (size == 0) {
        err = "empty file";
        fclose(f);
        return false;
    }
    addr = malloc(size);
    bool ok = addr != nullptr && fread(addr, 1, size, f) == size;
    fclose(f);
    if (!ok) {
        err = "read failed";
    }
    return ok;
#endif
}

// ---------------------------------------------------------------------------------------------
// model lifetime
// ---------------------------------------------------------------------------------------------

gpt2_model::~gpt2_model() {
    for (ggml_backend_buffer_t b : buf_extra) ggml_backend_buffer_free(b);
    if (buf_w != nullptr) {
        ggml_backend_buffer_free(buf_w);
    }
    if (ctx_w != nullptr) {
        ggml_free(ctx_w);
    }
    if (gguf != nullptr) {
        gguf_free(gguf);
    }
}

void gpt2_model_release(gpt2_model * model) {
    if (model != nullptr && model->refs.fetch_sub(1) == 1) {
        delete model;
    }
}

void gpt2_model_free(gpt2_model * model) {
    gpt2_model_release(model);
}

gpt2_model_params gpt2_model_default_params(void) {
    gpt2_model_params p;
    p.n_threads = 0;
    p.backend   = GPT2_BACKEND_AUTO;
    p.use_mmap  = 1;
    p.gelu      = GPT2_GELU_EXACT;
    p.use_extra_bufts = 1;
    return p;
}

// ---------------------------------------------------------------------------------------------
// loading
// ---------------------------------------------------------------------------------------------

namespace {

// Physical cores on Linux (unique "physical id"/"core id" pairs), else logical CPUs.
int32_t count_cores() {
    std::set<std::pair<std::string, std::string>> cores;
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line, phys = "0";
    while (std::getline(cpuinfo, line)) {
        auto value = [&] { auto i = line.find(':'); return i == std::string::npos ? std::string() : line.substr(i + 1); };
        if (line.rfind("physical id", 0) == 0) phys = value();
        if (line.rfind("core id", 0) == 0) cores.emplace(phys, value());
    }
    if (!cores.empty()) {
        return (int32_t) cores.size();
    }
    unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? (int32_t) n : 4;
}

// count_cores(), read once.
int32_t default_threads() {
    static const int32_t n = count_cores();
    return n;
}

// The types libgpt2 computes a 2-D weight in.
bool is_computed_matrix_type(ggml_type t) {
    switch (t) {
        case GGML_TYPE_F32: case GGML_TYPE_F16: case GGML_TYPE_BF16:
        case GGML_TYPE_Q4_0: case GGML_TYPE_Q4_1: case GGML_TYPE_Q5_0: case GGML_TYPE_Q5_1:
        case GGML_TYPE_Q8_0: case GGML_TYPE_Q2_K: case GGML_TYPE_Q3_K: case GGML_TYPE_Q4_K:
        case GGML_TYPE_Q5_K: case GGML_TYPE_Q6_K:
            return true;
        default:
            return false;
    }
}

// Integer types hold no weights: a 2-D weight in one is malformed, not merely unsupported.
bool is_integer_type(ggml_type t) {
    return t == GGML_TYPE_I8 || t == GGML_TYPE_I16 || t == GGML_TYPE_I32 || t == GGML_TYPE_I64;
}

// What a GPT-2 tensor must be: its shape (ne1 = 0 for a vector) and where the loader keeps it.
struct tensor_spec {
    int64_t        ne0;
    int64_t        ne1;
    bool           required;
    ggml_tensor ** dst;
};

// The device for the requested backend, or nullptr with a message.
ggml_backend_dev_t pick_device(int32_t backend, std::string & err) {
    auto by_reg = [](const char * reg_name) -> ggml_backend_dev_t {
        for (size_t i = 0; i < ggml_backend_dev_count(); i++) {
            ggml_backend_dev_t d = ggml_backend_dev_get(i);
            if (strcmp(ggml_backend_reg_name(ggml_backend_dev_backend_reg(d)), reg_name) == 0) {
                return d;
            }
        }
        return nullptr;
    };
    switch (backend) {
        case GPT2_BACKEND_CPU:
            if (ggml_backend_dev_t d = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU)) return d;
            err = "this build has no CPU device";
            return nullptr;
        case GPT2_BACKEND_CUDA:
            if (ggml_backend_dev_t d = by_reg("CUDA")) return d;
            err = "backend CUDA requested, but this build or this machine has no CUDA device";
            return nullptr;
        case GPT2_BACKEND_METAL:
            if (ggml_backend_dev_t d = by_reg("MTL")) return d;
            err = "backend Metal requested, but this build or this machine has no Metal device";
            return nullptr;
        default: {  // AUTO
            if (ggml_backend_dev_t d = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_GPU)) return d;
            if (ggml_backend_dev_t d = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_IGPU)) return d;
            if (ggml_backend_dev_t d = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU)) return d;
            err = "this build has no CPU device";
            return nullptr;
        }
    }
}

// Whether ggml's CPU device computes y = w x with w in buft (an extra buffer type), for a weight
// shaped and typed as t and x a column of F32: a stand-in product whose weight claims a buffer of
// buft, asked of the device, as ggml's extra buffer types decide per tensor.
bool extra_buft_computes(ggml_backend_dev_t dev, ggml_backend_buffer_type_t buft, const ggml_tensor * t) {
    ggml_init_params ip = { 4 * ggml_tensor_overhead(), nullptr, true };
    std::unique_ptr<ggml_context, decltype(&ggml_free)> ctx(ggml_init(ip), ggml_free);
    std::unique_ptr<ggml_backend_buffer, decltype(&ggml_backend_buffer_free)> empty(ggml_backend_buft_alloc_buffer(buft, 0),
                                                                                    ggml_backend_buffer_free);
    if (!ctx || !empty) return false;
    ggml_tensor * w = ggml_new_tensor_2d(ctx.get(), t->type, t->ne[0], t->ne[1]);
    ggml_tensor * x = ggml_new_tensor_2d(ctx.get(), GGML_TYPE_F32, t->ne[0], 1);
    ggml_tensor * y = ggml_mul_mat(ctx.get(), w, x);
    w->buffer = empty.get();
    return ggml_backend_dev_supports_op(dev, y);
}

// Places the matrices that only ever feed ggml_mul_mat (each block's four, and output.weight when
// the model has its own; never token_embd, which get_rows reads) in the first of the CPU device's
// extra buffer types that computes their product, copied from the file (file_data) and repacked by
// the buffer as it receives them. One buffer per buffer type used; none on a CPU without any.
template <typename FileData>
gpt2_status place_extra_matrices(gpt2_model & m, const FileData & file_data, const char * fn) {
    auto get_extra = (ggml_backend_dev_get_extra_bufts_t) ggml_backend_reg_get_proc_address(
        ggml_backend_dev_backend_reg(m.dev), "ggml_backend_dev_get_extra_bufts");
    ggml_backend_buffer_type_t * extra = get_extra != nullptr ? get_extra(m.dev) : nullptr;
    if (extra == nullptr) return GPT2_OK;
    std::vector<ggml_tensor *> matrices;
    for (const gpt2_layer & l : m.layers) {
        for (ggml_tensor * t : { l.c_attn_w, l.c_proj_w, l.c_fc_w, l.mlp_proj_w }) matrices.push_back(t);
    }
    if (!m.tied) matrices.push_back(m.lm_head);
    for (ggml_backend_buffer_type_t * b = extra; *b != nullptr; b++) {
        std::vector<ggml_tensor *> mine;
        size_t size = 0;
        const size_t align = ggml_backend_buft_get_alignment(*b);
        for (ggml_tensor * t : matrices) {
            if (t->buffer == nullptr && extra_buft_computes(m.dev, *b, t)) {
                mine.push_back(t);
                size += GGML_PAD(ggml_backend_buft_get_alloc_size(*b, t), align);
            }
        }
        if (mine.empty()) continue;
        ggml_backend_buffer_t buf = ggml_backend_buft_alloc_buffer(*b, size);
        if (buf == nullptr) {
            return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: %s: cannot allocate %zu bytes of %s for %zu matrices (use_extra_bufts 0 "
                             "keeps the plain layout)", fn, m.path.c_str(), size, ggml_backend_buft_name(*b), mine.size());
        }
        m.buf_extra.push_back(buf);
        ggml_backend_buffer_set_usage(buf, GGML_BACKEND_BUFFER_USAGE_WEIGHTS);
        ggml_tallocr alloc = ggml_tallocr_new(buf);
        for (ggml_tensor * t : mine) {
            if (ggml_tallocr_alloc(&alloc, t) != GGML_STATUS_SUCCESS) {
                return gpt2_fail(GPT2_ERR_BACKEND, "%s: %s: cannot place %s in %s", fn, m.path.c_str(), t->name,
                                 ggml_backend_buft_name(*b));
            }
            ggml_backend_tensor_set(t, file_data(t), 0, ggml_nbytes(t));  // the whole tensor: the buffer repacks it
        }
        m.n_extra += (int32_t) mine.size();
    }
    return GPT2_OK;
}

gpt2_status load(gpt2_model & m, const char * fn) {
    const std::string & path = m.path;
    auto format_error = [&](const std::string & what) {
        return gpt2_fail(GPT2_ERR_FORMAT, "%s: %s: %s", fn, path.c_str(), what.c_str());
    };

    // map the file
    std::string err;
    if (!m.file.open(path, err)) {
        return err == "empty file" ? format_error("empty file, not a GGUF model")
                                   : gpt2_fail(GPT2_ERR_IO, "%s: %s: cannot open: %s", fn, path.c_str(), err.c_str());
    }
    if (m.file.size < 8 || memcmp(m.file.addr, "GGUF", 4) != 0) {
        return format_error("not a GGUF file (bad magic)");
    }

    // parse the GGUF header, metadata and tensor infos (no tensor data yet)
    std::string why;
    m.gguf = gpt2_gguf_parse(m.file, &m.ctx_w, fn, path, why);
    if (m.gguf == nullptr) {
        return format_error("malformed or truncated GGUF" + (why.empty() ? std::string() : " (" + why + ")"));
    }
    gpt2_gguf_reader L{m.gguf, {}};

    // check the architecture
    std::string arch;
    if (!L.get_str(GPT2_KV_ARCHITECTURE, true, arch)) return format_error(L.err);
    if (arch != GPT2_ARCH_NAME) {
        return format_error(GPT2_KV_ARCHITECTURE " is " + gpt2_quote(arch) + ", expected \"" GPT2_ARCH_NAME "\"");
    }
    if (!L.get_str(GPT2_KV_NAME, false, m.name)) return format_error(L.err);

    // load hyper-parameters
    gpt2_hparams & hp = m.hparams;
    int64_t v = 0;
    if (!L.get_int(GPT2_KV_CONTEXT_LENGTH, true, 1, GPT2_MAX_CTX, v)) return format_error(L.err);
    hp.n_ctx_train = (int32_t) v;
    if (!L.get_int(GPT2_KV_EMBD_LENGTH, true, 1, GPT2_MAX_EMBD, v)) return format_error(L.err);
    hp.n_embd = (int32_t) v;
    if (!L.get_int(GPT2_KV_HEAD_COUNT, true, 1, GPT2_MAX_HEAD, v)) return format_error(L.err);
    hp.n_head = (int32_t) v;
    if (!L.get_int(GPT2_KV_BLOCK_COUNT, true, 1, GPT2_MAX_LAYER, v)) return format_error(L.err);
    hp.n_layer = (int32_t) v;
    if (!L.get_int(GPT2_KV_FF_LENGTH, true, 1, GPT2_MAX_FF, v)) return format_error(L.err);
    hp.n_ff = (int32_t) v;
    if (hp.n_embd % hp.n_head != 0) {
        return format_error("embedding_length " + std::to_string(hp.n_embd) + " is not a multiple of head_count " +
                            std::to_string(hp.n_head));
    }
    int64_t eps_id = gguf_find_key(m.gguf, GPT2_KV_NORM_EPS);
    if (eps_id < 0) return format_error("missing key " GPT2_KV_NORM_EPS);
    if (gguf_get_kv_type(m.gguf, eps_id) != GGUF_TYPE_FLOAT32) {
        return format_error(std::string("key " GPT2_KV_NORM_EPS " has type ") + gguf_type_name(gguf_get_kv_type(m.gguf, eps_id)) +
                            ", expected f32");
    }
    hp.norm_eps = gguf_get_val_f32(m.gguf, eps_id);
    if (!(hp.norm_eps > 0.0f && hp.norm_eps < 1.0f)) {  // NaN and infinities too
        return format_error("key " GPT2_KV_NORM_EPS " = " + std::to_string(hp.norm_eps) + " is not in (0, 1)");
    }

    // load the vocabulary
    gpt2_vocab & vocab = m.vocab;
    int64_t tok_id, type_id, merges_id;
    if (!L.find_arr(GPT2_KV_TOK_TOKENS, true, GGUF_TYPE_STRING, tok_id)) return format_error(L.err);
    size_t n_tokens = gguf_get_arr_n(m.gguf, tok_id);
    if (n_tokens < 1 || n_tokens > GPT2_MAX_VOCAB) {
        return format_error("key " GPT2_KV_TOK_TOKENS " holds " + std::to_string(n_tokens) + " tokens, not in [1, " +
                            std::to_string(GPT2_MAX_VOCAB) + "]");
    }
    hp.n_vocab = (int32_t) n_tokens;
    // a string array's elements, each valid UTF-8; the message of the first that is not, or ""
    auto read_utf8 = [&](int64_t id, const char * key, std::vector<std::string> & out) -> std::string {
        const size_t n = gguf_get_arr_n(m.gguf, id);
        out.reserve(n);
        for (size_t i = 0; i < n; i++) {
            out.emplace_back(gguf_get_arr_str(m.gguf, id, i));
            if (!gpt2_utf8_valid(out.back().data(), out.back().size())) {
                return std::string("key ") + key + "[" + std::to_string(i) + "] " + gpt2_quote(out.back()) + " is not valid UTF-8";
            }
        }
        return "";
    };
    if (std::string e = read_utf8(tok_id, GPT2_KV_TOK_TOKENS, vocab.tokens); !e.empty()) return format_error(e);
    if (!L.get_int(GPT2_KV_VOCAB_SIZE, false, hp.n_vocab, hp.n_vocab, v)) return format_error(L.err);
    if (!L.find_arr(GPT2_KV_TOK_TYPES, false, GGUF_TYPE_INT32, type_id)) return format_error(L.err);
    vocab.token_types.assign(n_tokens, 1);
    if (type_id >= 0) {
        if (gguf_get_arr_n(m.gguf, type_id) != n_tokens) {
            return format_error("key " GPT2_KV_TOK_TYPES " holds " + std::to_string(gguf_get_arr_n(m.gguf, type_id)) +
                                " values for " + std::to_string(n_tokens) + " tokens");
        }
        const int32_t * types = (const int32_t *) gguf_get_arr_data(m.gguf, type_id);
        for (size_t i = 0; i < n_tokens; i++) {
            if (types[i] < GPT2_TOKEN_TYPE_MIN || types[i] > GPT2_TOKEN_TYPE_MAX) {
                return format_error("key " GPT2_KV_TOK_TYPES "[" + std::to_string(i) + "] = " + std::to_string(types[i]) +
                                    " is not a token type (0..6)");
            }
        }
        vocab.token_types.assign(types, types + n_tokens);
    }
    if (!L.find_arr(GPT2_KV_TOK_MERGES, false, GGUF_TYPE_STRING, merges_id)) return format_error(L.err);
    if (merges_id >= 0) {
        if (std::string e = read_utf8(merges_id, GPT2_KV_TOK_MERGES, vocab.merges); !e.empty()) return format_error(e);
    }
    for (auto [key, dst] : {std::pair{GPT2_KV_TOK_BOS, &vocab.bos}, std::pair{GPT2_KV_TOK_EOS, &vocab.eos}}) {
        v = -1;
        if (!L.get_int(key, false, 0, hp.n_vocab - 1, v)) return format_error(L.err);
        *dst = (int32_t) v;
    }

    // the tensors: exactly GPT-2's (gpt2-arch.h), each of its shape, a vector in F32, a matrix in a
    // float or quantized type, its bytes within the file
    const int64_t E = hp.n_embd, F = hp.n_ff;
    std::map<std::string, tensor_spec> specs = {
        {GPT2_T_TOKEN_EMBD,    {E, hp.n_vocab,     true,  &m.wte}},
        {GPT2_T_POS_EMBD,      {E, hp.n_ctx_train, true,  &m.wpe}},
        {GPT2_T_OUTPUT_NORM,   {E, 0,              true,  &m.ln_f_w}},
        {GPT2_T_OUTPUT_NORM_B, {E, 0,              true,  &m.ln_f_b}},
        {GPT2_T_OUTPUT,        {E, hp.n_vocab,     false, &m.lm_head}},
    };
    m.wte = m.wpe = m.ln_f_w = m.ln_f_b = m.lm_head = nullptr;
    m.layers.assign(hp.n_layer, gpt2_layer{});
    char name[GGML_MAX_NAME + 16];
    auto nm = [&](const char * fmt, int il) { snprintf(name, sizeof(name), fmt, il); return std::string(name); };
    for (int il = 0; il < hp.n_layer; il++) {
        gpt2_layer & l = m.layers[il];
        specs[nm(GPT2_T_ATTN_NORM, il)]   = {E, 0, true, &l.ln_1_w};
        specs[nm(GPT2_T_ATTN_NORM_B, il)] = {E, 0, true, &l.ln_1_b};
        specs[nm(GPT2_T_ATTN_QKV, il)]    = {E, 3 * E, true, &l.c_attn_w};
        specs[nm(GPT2_T_ATTN_QKV_B, il)]  = {3 * E, 0, true, &l.c_attn_b};
        specs[nm(GPT2_T_ATTN_OUT, il)]    = {E, E, true, &l.c_proj_w};
        specs[nm(GPT2_T_ATTN_OUT_B, il)]  = {E, 0, true, &l.c_proj_b};
        specs[nm(GPT2_T_FFN_NORM, il)]    = {E, 0, true, &l.ln_2_w};
        specs[nm(GPT2_T_FFN_NORM_B, il)]  = {E, 0, true, &l.ln_2_b};
        specs[nm(GPT2_T_FFN_UP, il)]      = {E, F, true, &l.c_fc_w};
        specs[nm(GPT2_T_FFN_UP_B, il)]    = {F, 0, true, &l.c_fc_b};
        specs[nm(GPT2_T_FFN_DOWN, il)]    = {F, E, true, &l.mlp_proj_w};
        specs[nm(GPT2_T_FFN_DOWN_B, il)]  = {E, 0, true, &l.mlp_proj_b};
    }
    const size_t data_offset = gguf_get_data_offset(m.gguf);
    const int64_t n_tensors = gguf_get_n_tensors(m.gguf);
    for (int64_t id = 0; id < n_tensors; id++) {
        const std::string tname = gguf_get_tensor_name(m.gguf, id);
        auto it = specs.find(tname);
        if (it == specs.end()) {
            return format_error("tensor " + gpt2_quote(tname) + " is not one of a GPT-2 of " + std::to_string(hp.n_layer) +
                                " blocks");
        }
        const tensor_spec & sp = it->second;
        ggml_tensor * t = ggml_get_tensor(m.ctx_w, tname.c_str());
        if (t == nullptr) return format_error("tensor " + tname + " has no metadata");
        const int64_t ne1 = sp.ne1 > 0 ? sp.ne1 : 1;
        if (t->ne[0] != sp.ne0 || t->ne[1] != ne1 || t->ne[2] != 1 || t->ne[3] != 1) {
            char buf[256];
            snprintf(buf, sizeof(buf), "tensor %s has shape [%" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 "], expected [%" PRId64
                     ", %" PRId64 "]", tname.c_str(), t->ne[0], t->ne[1], t->ne[2], t->ne[3], sp.ne0, ne1);
            return format_error(buf);
        }
        if (sp.ne1 == 0 ? t->type != GGML_TYPE_F32 : is_integer_type(t->type)) {
            return format_error("tensor " + tname + " has type " + ggml_type_name(t->type) + ", not " +
                                (sp.ne1 == 0 ? "f32 (a vector)" : "a float or quantized type (a matrix)"));
        }
        const size_t off = gguf_get_tensor_offset(m.gguf, id), nbytes = ggml_nbytes(t);
        if (data_offset > m.file.size || off > m.file.size - data_offset || nbytes > m.file.size - data_offset - off) {
            return format_error("tensor " + tname + " ends past the end of the file (" + std::to_string(m.file.size) +
                                " bytes): truncated?");
        }
        *sp.dst = t;
        m.n_params   += ggml_nelements(t);
        m.size_bytes += (int64_t) nbytes;
    }
    for (const auto & [tname, sp] : specs) {
        if (sp.required && *sp.dst == nullptr) return format_error("missing tensor " + tname);
    }
    m.tied    = m.lm_head == nullptr;
    m.lm_head = m.tied ? m.wte : m.lm_head;

    // a valid file: are its matrices of types libgpt2 computes?
    for (const auto & [tname, sp] : specs) {
        const ggml_tensor * t = *sp.dst;
        if (t != nullptr && sp.ne1 > 0 && !is_computed_matrix_type(t->type)) {
            return gpt2_fail(GPT2_ERR_UNSUPPORTED, "%s: %s: tensor %s has type %s, which libgpt2 does not compute", fn,
                             path.c_str(), t->name, ggml_type_name(t->type));
        }
    }

    // choose the device (loading the backends, the first time)
    if (gpt2_status st = gpt2_backends_init(fn); st != GPT2_OK) return st;
    m.dev = pick_device(m.params.backend, err);
    if (m.dev == nullptr) {
        return gpt2_fail(GPT2_ERR_UNSUPPORTED, "%s: %s: %s", fn, path.c_str(), err.c_str());
    }
    m.backend_name = ggml_backend_dev_name(m.dev);

    // place the weights: the matrices ggml's extra CPU buffer types compute go there (copied and
    // repacked); the rest are mapped from the file (CPU), or copied into device memory
    char * data = (char *) m.file.addr + data_offset;
    auto file_data = [&](const ggml_tensor * t) {
        return data + gguf_get_tensor_offset(m.gguf, gguf_find_tensor(m.gguf, t->name));
    };
    const bool cpu = ggml_backend_dev_type(m.dev) == GGML_BACKEND_DEVICE_TYPE_CPU;
    if (cpu && m.params.use_extra_bufts) {
        if (gpt2_status st = place_extra_matrices(m, file_data, fn); st != GPT2_OK) return st;
    }
    if (cpu && m.params.use_mmap && m.file.mapped && ((uintptr_t) data % 32) == 0) {
        m.buf_w = ggml_backend_cpu_buffer_from_ptr(data, m.file.size - data_offset);
        if (m.buf_w == nullptr) return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: %s: cannot map the weights", fn, path.c_str());
        for (ggml_tensor * t = ggml_get_first_tensor(m.ctx_w); t != nullptr; t = ggml_get_next_tensor(m.ctx_w, t)) {
            if (t->buffer == nullptr) ggml_backend_tensor_alloc(m.buf_w, t, file_data(t));
        }
    } else {
        m.buf_w = ggml_backend_alloc_ctx_tensors_from_buft(m.ctx_w, ggml_backend_dev_buffer_type(m.dev));
        if (m.buf_w == nullptr) {
            return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: %s: cannot allocate %" PRId64 " bytes of weights on %s", fn,
                             path.c_str(), m.size_bytes, m.backend_name.c_str());
        }
        for (ggml_tensor * t = ggml_get_first_tensor(m.ctx_w); t != nullptr; t = ggml_get_next_tensor(m.ctx_w, t)) {
            if (t->buffer == m.buf_w) ggml_backend_tensor_set(t, file_data(t), 0, ggml_nbytes(t));
        }
        m.file.~gpt2_file_map();  // the weights are copied: release the file now
        new (&m.file) gpt2_file_map();
    }
    ggml_backend_buffer_set_usage(m.buf_w, GGML_BACKEND_BUFFER_USAGE_WEIGHTS);

    GPT2_LOG_I("%s: %s: %d layers, %d heads, n_embd %d, n_vocab %d, n_ctx %d, %s weights, %.1f MiB on %s%s, %d matrices in %s",
               fn, path.c_str(), hp.n_layer, hp.n_head, hp.n_embd, hp.n_vocab, hp.n_ctx_train,
               ggml_type_name(m.layers[0].c_attn_w->type), m.size_bytes / 1048576.0, m.backend_name.c_str(),
               m.file.mapped ? " (mapped)" : "", m.n_extra, m.buf_extra.empty() ? "extra buffer types" : ggml_backend_buffer_name(m.buf_extra[0]));
    return GPT2_OK;
}

}  // namespace

gpt2_model * gpt2_model_load(const char * path, const gpt2_model_params * params) {
    gpt2_log_init();
    std::unique_ptr<gpt2_model> model;
    gpt2_status st = gpt2_guard(__func__, [&]() -> gpt2_status {
        if (path == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_model_load: path is NULL");
        gpt2_model_params p = params != nullptr ? *params : gpt2_model_default_params();
        if (p.backend < GPT2_BACKEND_AUTO || p.backend > GPT2_BACKEND_METAL) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_model_load: backend %d is not one of enum gpt2_backend", p.backend);
        }
        if (p.gelu != GPT2_GELU_EXACT && p.gelu != GPT2_GELU_FAST) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_model_load: gelu %d is not one of enum gpt2_gelu", p.gelu);
        }
        if (p.n_threads > GGML_MAX_N_THREADS) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_model_load: n_threads %d is out of range [1, %d]", p.n_threads,
                             GGML_MAX_N_THREADS);
        }
        if (p.n_threads <= 0) p.n_threads = default_threads();
        model = std::make_unique<gpt2_model>();
        model->path   = path;
        model->params = p;
        return load(*model, "gpt2_model_load");
    });
    return st == GPT2_OK ? model.release() : nullptr;
}

// ---------------------------------------------------------------------------------------------
// getters
// ---------------------------------------------------------------------------------------------

int32_t gpt2_model_n_vocab(const gpt2_model * m)     { return m ? m->hparams.n_vocab : GPT2_ERR_INVALID_ARG; }
int32_t gpt2_model_n_ctx_train(const gpt2_model * m) { return m ? m->hparams.n_ctx_train : GPT2_ERR_INVALID_ARG; }
int32_t gpt2_model_n_embd(const gpt2_model * m)      { return m ? m->hparams.n_embd : GPT2_ERR_INVALID_ARG; }
int32_t gpt2_model_n_head(const gpt2_model * m)      { return m ? m->hparams.n_head : GPT2_ERR_INVALID_ARG; }
int32_t gpt2_model_n_layer(const gpt2_model * m)     { return m ? m->hparams.n_layer : GPT2_ERR_INVALID_ARG; }
int32_t gpt2_model_n_ff(const gpt2_model * m)        { return m ? m->hparams.n_ff : GPT2_ERR_INVALID_ARG; }
float   gpt2_model_norm_eps(const gpt2_model * m)    { return m ? m->hparams.norm_eps : 0.0f; }
int32_t gpt2_model_weight_type(const gpt2_model * m) { return m ? (int32_t) m->layers[0].c_attn_w->type : GPT2_ERR_INVALID_ARG; }
int32_t gpt2_model_output_tied(const gpt2_model * m) { return m ? (m->tied ? 1 : 0) : GPT2_ERR_INVALID_ARG; }
int64_t gpt2_model_n_params(const gpt2_model * m)    { return m ? m->n_params : GPT2_ERR_INVALID_ARG; }
int64_t gpt2_model_size_bytes(const gpt2_model * m)  { return m ? m->size_bytes : GPT2_ERR_INVALID_ARG; }
int32_t gpt2_model_n_extra_matrices(const gpt2_model * m) { return m ? m->n_extra : GPT2_ERR_INVALID_ARG; }
const char * gpt2_model_backend_name(const gpt2_model * m) { return m ? m->backend_name.c_str() : ""; }
const char * gpt2_model_name(const gpt2_model * m)         { return m ? m->name.c_str() : ""; }

// ---------------------------------------------------------------------------------------------
// vocabulary
// ---------------------------------------------------------------------------------------------

const char * gpt2_token_text(const gpt2_model * m, int32_t id, int32_t * len) {
    if (m == nullptr || id < 0 || id >= m->hparams.n_vocab) {
        if (len) *len = 0;
        gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_token_text: token id %d is out of range", id);
        return nullptr;
    }
    const std::string & s = m->vocab.tokens[id];
    if (len) *len = (int32_t) s.size();
    return s.c_str();
}

int32_t gpt2_token_bytes(const gpt2_model * m, int32_t id, uint8_t * buf, int32_t cap) {
    if (m == nullptr || id < 0 || id >= m->hparams.n_vocab) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_token_bytes: token id %d is out of range", id);
    }
    if (cap < 0 || (cap > 0 && buf == nullptr)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_token_bytes: cap %d with buf %p", cap, (void *) buf);
    }
    const std::string & s = m->vocab.tokens[id];
    // control tokens and tokens outside the byte-to-unicode table stand for their own text
    int32_t n = m->vocab.token_types[id] == 3 ? -1 : gpt2_unicode_to_bytes(s.data(), (int) s.size(), nullptr, 0);
    if (n < 0) {
        if (cap > 0) memcpy(buf, s.data(), std::min<size_t>((size_t) cap, s.size()));
        return (int32_t) s.size();
    }
    if (cap > 0) {
        std::vector<uint8_t> tmp((size_t) n);
        gpt2_unicode_to_bytes(s.data(), (int) s.size(), tmp.data(), n);
        memcpy(buf, tmp.data(), std::min(cap, n));
    }
    return n;
}

int32_t gpt2_token_type(const gpt2_model * m, int32_t id) {
    if (m == nullptr || id < 0 || id >= m->hparams.n_vocab) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_token_type: token id %d is out of range", id);
    }
    return m->vocab.token_types[id];
}

int32_t gpt2_n_merges(const gpt2_model * m) {
    return m ? (int32_t) m->vocab.merges.size() : GPT2_ERR_INVALID_ARG;
}

const char * gpt2_merge(const gpt2_model * m, int32_t i, int32_t * len) {
    if (m == nullptr || i < 0 || (size_t) i >= m->vocab.merges.size()) {
        if (len) *len = 0;
        gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_merge: merge %d is out of range", i);
        return nullptr;
    }
    if (len) *len = (int32_t) m->vocab.merges[i].size();
    return m->vocab.merges[i].c_str();
}

int32_t gpt2_token_bos(const gpt2_model * m) { return m ? m->vocab.bos : -1; }
int32_t gpt2_token_eos(const gpt2_model * m) { return m ? m->vocab.eos : -1; }
