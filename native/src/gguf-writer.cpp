// gguf-writer.cpp: the streaming GGUF writer of gguf-writer.h (gpt2_quantize's and the random-model
// writer's).
#include "gguf-writer.h"

#include "error.h"
#include "gpt2-arch.h"

#include "ggml-cpp.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <thread>

namespace {

const gpt2_write_type k_types[] = {
    { GPT2_TYPE_F32,  GPT2_FTYPE_ALL_F32     },
    { GPT2_TYPE_F16,  GPT2_FTYPE_MOSTLY_F16  },
    { GPT2_TYPE_BF16, GPT2_FTYPE_MOSTLY_BF16 },
    { GPT2_TYPE_Q8_0, GPT2_FTYPE_MOSTLY_Q8_0 },
    { GPT2_TYPE_Q4_0, GPT2_FTYPE_MOSTLY_Q4_0 },
    { GPT2_TYPE_Q4_1, GPT2_FTYPE_MOSTLY_Q4_1 },
    { GPT2_TYPE_Q5_0, GPT2_FTYPE_MOSTLY_Q5_0 },
    { GPT2_TYPE_Q5_1, GPT2_FTYPE_MOSTLY_Q5_1 },
};

constexpr int64_t k_chunk_elements = 1 << 22;  // rows per chunk: about 4M values

int64_t chunk_rows(const gpt2_out_tensor & t) {
    return std::max<int64_t>(1, k_chunk_elements / t.ne[0]);
}

// Closes the file on every path; removes it unless keep is set.
struct out_file {
    std::string path;
    FILE *      f = nullptr;
    bool        keep = false;

    ~out_file() {
        if (f) {
            fclose(f);
        }
        if (!keep) {
            std::remove(path.c_str());
        }
    }
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

const gpt2_write_type * gpt2_find_write_type(int32_t type) {
    for (const gpt2_write_type & t : k_types) {
        if (t.type == type) {
            return &t;
        }
    }
    return nullptr;
}

bool gpt2_is_weight_matrix(const char * name, const int64_t ne[GGML_MAX_DIMS]) {
    const std::string s = name;
    auto ends_with = [&](const char * suffix) {
        const size_t n = strlen(suffix);
        return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
    };
    const bool two_dims = ne[1] > 1 || ne[2] > 1 || ne[3] > 1;  // ggml_n_dims >= 2
    return two_dims && ends_with(".weight") && !ends_with("_norm.weight") && s != GPT2_T_POS_EMBD;
}

// ---------------------------------------------------------------------------------------------
// Streaming GGUF writer
// ---------------------------------------------------------------------------------------------

void gpt2_parallel_rows(int n_threads, int64_t n_rows, const std::function<void(int64_t, int64_t)> & fn) {
    n_threads = (int) std::max<int64_t>(1, std::min<int64_t>(n_threads, n_rows));
    if (n_threads == 1) {
        fn(0, n_rows);
        return;
    }
    std::vector<std::thread>        workers;
    std::vector<std::exception_ptr> errors(n_threads);
    const int64_t per = (n_rows + n_threads - 1) / n_threads;
    for (int it = 0; it < n_threads; it++) {
        const int64_t r0 = it * per;
        const int64_t r1 = std::min(n_rows, r0 + per);
        if (r0 >= r1) {
            break;
        }
        workers.emplace_back([&, it, r0, r1] {
            try {
                fn(r0, r1);
            } catch (...) {
                errors[it] = std::current_exception();
            }
        });
    }
    for (std::thread & w : workers) {
        w.join();
    }
    for (const std::exception_ptr & e : errors) {
        if (e) {
            std::rethrow_exception(e);
        }
    }
}

int gpt2_write_default_threads() {
    const unsigned n = std::thread::hardware_concurrency();
    return (int) std::max(1u, std::min(n, 16u));
}

gpt2_status gpt2_write_gguf(const char * func, const char * path, gguf_context * meta,
                            const std::vector<gpt2_out_tensor> & tensors, const gpt2_rows_fn & produce) {
    // tensor infos: gguf takes them from ggml tensors without data
    ggml_init_params ip = {
        /*.mem_size   =*/ ggml_tensor_overhead() * (tensors.size() + 1),
        /*.mem_buffer =*/ nullptr,
        /*.no_alloc   =*/ true,
    };
    ggml_context_ptr ctx{ ggml_init(ip) };
    if (!ctx) {
        return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: cannot create a ggml context", func);
    }
    for (const gpt2_out_tensor & t : tensors) {
        int n_dims = GGML_MAX_DIMS;
        while (n_dims > 1 && t.ne[n_dims - 1] == 1) {
            n_dims--;
        }
        ggml_tensor * g = ggml_new_tensor(ctx.get(), t.type, n_dims, t.ne);
        ggml_set_name(g, t.name.c_str());
        gguf_add_tensor(meta, g);
    }

    out_file out;
    out.path = path;
    out.f = ggml_fopen(path, "wb");
    if (!out.f) {
        out.keep = true;  // nothing of ours to remove
        return gpt2_fail(GPT2_ERR_IO, "%s: cannot open '%s' for writing: %s", func, path, strerror(errno));
    }
    auto io_error = [&]() {
        return gpt2_fail(GPT2_ERR_IO, "%s: cannot write '%s': %s", func, path, strerror(errno));
    };

    // metadata
    if (!gguf_write_to_file_ptr(meta, out.f, /*only_meta =*/ true)) {
        return io_error();
    }

    // tensor data, each padded to the alignment
    const size_t alignment = gguf_get_alignment(meta);
    std::vector<uint8_t> buf;
    const std::vector<uint8_t> zeros(alignment, 0);
    size_t offset = 0;
    for (size_t i = 0; i < tensors.size(); i++) {
        const gpt2_out_tensor & t = tensors[i];
        if (offset != gguf_get_tensor_offset(meta, (int64_t) i)) {
            return gpt2_fail(GPT2_ERR_INTERNAL, "%s: offset of %s is %zu, gguf says %zu", func,
                             t.name.c_str(), offset, gguf_get_tensor_offset(meta, (int64_t) i));
        }
        const int64_t rows = t.n_rows();
        const int64_t step = chunk_rows(t);
        for (int64_t r0 = 0; r0 < rows; r0 += step) {
            const int64_t n = std::min(step, rows - r0);
            buf.resize((size_t) n * t.row_size());
            const gpt2_status st = produce(i, r0, n, buf.data());
            if (st != GPT2_OK) {
                return st;
            }
            if (fwrite(buf.data(), 1, buf.size(), out.f) != buf.size()) {
                return io_error();
            }
            offset += buf.size();
        }
        const size_t pad = (alignment - offset % alignment) % alignment;
        if (pad && fwrite(zeros.data(), 1, pad, out.f) != pad) {
            return io_error();
        }
        offset += pad;
    }

    const int rc = fclose(out.f);
    out.f = nullptr;
    if (rc != 0) {
        return io_error();
    }
    out.keep = true;
    return GPT2_OK;
}
