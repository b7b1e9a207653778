// quantize.cpp: gpt2_quantize, a GPT-2 GGUF rewritten with its weight matrices in another type, as
// llama-quantize --pure does (which tensors take the type: gguf-writer.h).

#include "gpt2.h"
#include "gguf-writer.h"
#include "gpt2-arch.h"
#include "error.h"

#include "ggml.h"
#include "ggml-cpp.h"
#include "gguf.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------------
// File helpers for the reader side
// ---------------------------------------------------------------------------------------------

bool seek_to(FILE * f, uint64_t offset) {
#if defined(_WIN32)
    return _fseeki64(f, (__int64) offset, SEEK_SET) == 0;
#else
    return fseeko(f, (off_t) offset, SEEK_SET) == 0;
#endif
}

std::filesystem::path fs_path(const char * utf8) {
#if defined(_WIN32)
    return std::filesystem::u8path(utf8);
#else
    return std::filesystem::path(utf8);
#endif
}

// Copies key i of src to the end of dst.
bool copy_kv(gguf_context * dst, const gguf_context * src, int64_t i) {
    const char * key = gguf_get_key(src, i);
    switch (gguf_get_kv_type(src, i)) {
        case GGUF_TYPE_UINT8:   gguf_set_val_u8  (dst, key, gguf_get_val_u8  (src, i)); return true;
        case GGUF_TYPE_INT8:    gguf_set_val_i8  (dst, key, gguf_get_val_i8  (src, i)); return true;
        case GGUF_TYPE_UINT16:  gguf_set_val_u16 (dst, key, gguf_get_val_u16 (src, i)); return true;
        case GGUF_TYPE_INT16:   gguf_set_val_i16 (dst, key, gguf_get_val_i16 (src, i)); return true;
        case GGUF_TYPE_UINT32:  gguf_set_val_u32 (dst, key, gguf_get_val_u32 (src, i)); return true;
        case GGUF_TYPE_INT32:   gguf_set_val_i32 (dst, key, gguf_get_val_i32 (src, i)); return true;
        case GGUF_TYPE_FLOAT32: gguf_set_val_f32 (dst, key, gguf_get_val_f32 (src, i)); return true;
        case GGUF_TYPE_UINT64:  gguf_set_val_u64 (dst, key, gguf_get_val_u64 (src, i)); return true;
        case GGUF_TYPE_INT64:   gguf_set_val_i64 (dst, key, gguf_get_val_i64 (src, i)); return true;
        case GGUF_TYPE_FLOAT64: gguf_set_val_f64 (dst, key, gguf_get_val_f64 (src, i)); return true;
        case GGUF_TYPE_BOOL:    gguf_set_val_bool(dst, key, gguf_get_val_bool(src, i)); return true;
        case GGUF_TYPE_STRING:  gguf_set_val_str (dst, key, gguf_get_val_str (src, i)); return true;
        case GGUF_TYPE_ARRAY: {
            const enum gguf_type at = gguf_get_arr_type(src, i);
            const size_t n = gguf_get_arr_n(src, i);
            if (at == GGUF_TYPE_STRING) {
                std::vector<const char *> strs(n);
                for (size_t k = 0; k < n; k++) {
                    strs[k] = gguf_get_arr_str(src, i, k);
                }
                gguf_set_arr_str(dst, key, strs.data(), n);
                return true;
            }
            if (at == GGUF_TYPE_ARRAY || at >= GGUF_TYPE_COUNT) {
                return false;  // nested arrays: gguf cannot write them
            }
            gguf_set_arr_data(dst, key, at, gguf_get_arr_data(src, i), n);
            return true;
        }
        default:
            return false;
    }
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Quantization (re-typing the weight matrices of a GPT-2 GGUF)
// ---------------------------------------------------------------------------------------------

extern "C" gpt2_status gpt2_quantize(const char * src_path, const char * dst_path, int32_t type, int32_t n_threads) {
    static const char * func = "gpt2_quantize";
    return gpt2_guard(func, [&]() -> gpt2_status {
        // check arguments
        if (src_path == nullptr || src_path[0] == '\0') {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: src_path is NULL or empty", func);
        }
        if (dst_path == nullptr || dst_path[0] == '\0') {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: dst_path is NULL or empty", func);
        }
        const gpt2_write_type * wt = gpt2_find_write_type(type);
        if (wt == nullptr) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG,
                             "%s: type = %d is not supported (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1)",
                             func, type);
        }
        const ggml_type target = (ggml_type) wt->type;
        if (n_threads <= 0) {
            n_threads = gpt2_write_default_threads();
        }
        n_threads = std::min(n_threads, 256);
        {
            std::error_code ec;
            if (std::filesystem::equivalent(fs_path(src_path), fs_path(dst_path), ec)) {
                return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: '%s' and '%s' are the same file", func, src_path, dst_path);
            }
        }

        // open the source: metadata and tensor infos, no data
        FILE * probe = ggml_fopen(src_path, "rb");
        if (!probe) {
            return gpt2_fail(GPT2_ERR_IO, "%s: cannot open '%s': %s", func, src_path, strerror(errno));
        }
        std::unique_ptr<FILE, int (*)(FILE *)> src_file(probe, fclose);
        uint64_t file_size = 0;
        {
            std::error_code ec;
            file_size = (uint64_t) std::filesystem::file_size(fs_path(src_path), ec);
            if (ec) {
                return gpt2_fail(GPT2_ERR_IO, "%s: cannot read the size of '%s': %s", func, src_path, ec.message().c_str());
            }
        }
        gguf_init_params gp = { /*.no_alloc =*/ true, /*.ctx =*/ nullptr };
        gguf_context_ptr src{ gguf_init_from_file(src_path, gp) };
        if (!src) {
            return gpt2_fail(GPT2_ERR_FORMAT, "%s: '%s' is not a readable GGUF file", func, src_path);
        }

        // check it is GPT-2
        const int64_t arch_id = gguf_find_key(src.get(), GPT2_KV_ARCHITECTURE);
        if (arch_id < 0 || gguf_get_kv_type(src.get(), arch_id) != GGUF_TYPE_STRING ||
            strcmp(gguf_get_val_str(src.get(), arch_id), GPT2_ARCH_NAME) != 0) {
            return gpt2_fail(GPT2_ERR_FORMAT, "%s: '%s' is not a GPT-2 model (%s is %s)", func, src_path,
                             GPT2_KV_ARCHITECTURE,
                             arch_id < 0 ? "missing"
                             : gguf_get_kv_type(src.get(), arch_id) != GGUF_TYPE_STRING ? "not a string"
                             : gguf_get_val_str(src.get(), arch_id));
        }

        // plan: the output type of each tensor, and where its data is in the source
        const int64_t n_tensors = gguf_get_n_tensors(src.get());
        const uint64_t data_offset = gguf_get_data_offset(src.get());
        std::vector<gpt2_out_tensor> tensors;
        std::vector<ggml_type>  src_types;
        std::vector<uint64_t>   src_offsets;
        for (int64_t i = 0; i < n_tensors; i++) {
            gpt2_out_tensor t;
            t.name = gguf_get_tensor_name(src.get(), i);
            const int64_t * ne = gguf_get_tensor_ne(src.get(), i);
            for (int d = 0; d < GGML_MAX_DIMS; d++) {
                t.ne[d] = ne[d];
            }
            const ggml_type st = gguf_get_tensor_type(src.get(), i);
            t.type = gpt2_is_weight_matrix(t.name.c_str(), t.ne) ? target : st;
            if (t.type != st) {
                if (t.ne[0] % ggml_blck_size(t.type) != 0) {
                    return gpt2_fail(GPT2_ERR_INVALID_ARG,
                                     "%s: %s has rows of %lld values, not a multiple of %lld, the block size of %s",
                                     func, t.name.c_str(), (long long) t.ne[0], (long long) ggml_blck_size(t.type),
                                     ggml_type_name(t.type));
                }
                if (st != GGML_TYPE_F32 && ggml_get_type_traits(st)->to_float == nullptr) {
                    return gpt2_fail(GPT2_ERR_UNSUPPORTED, "%s: %s is %s, which cannot be converted", func,
                                     t.name.c_str(), ggml_type_name(st));
                }
            }
            const uint64_t off  = data_offset + gguf_get_tensor_offset(src.get(), i);
            const uint64_t size = gguf_get_tensor_size(src.get(), i);
            if (off > file_size || size > file_size - off) {
                return gpt2_fail(GPT2_ERR_FORMAT, "%s: '%s' is truncated: %s ends at byte %llu of %llu", func,
                                 src_path, t.name.c_str(), (unsigned long long) (off + size),
                                 (unsigned long long) file_size);
            }
            tensors.push_back(t);
            src_types.push_back(st);
            src_offsets.push_back(off);
        }

        // metadata: the source's keys in their order; general.file_type (and, as llama-quantize,
        // general.quantization_version) set; general.alignment dropped if it is not the default
        // (gguf writes with the default alignment)
        gguf_context_ptr meta{ gguf_init_empty() };
        bool has_ftype = false;
        bool has_qver  = false;
        for (int64_t i = 0; i < gguf_get_n_kv(src.get()); i++) {
            const char * key = gguf_get_key(src.get(), i);
            if (strcmp(key, GPT2_KV_FILE_TYPE) == 0) {
                gguf_set_val_u32(meta.get(), key, wt->ftype);
                has_ftype = true;
            } else if (strcmp(key, "general.quantization_version") == 0) {
                gguf_set_val_u32(meta.get(), key, GGML_QNT_VERSION);
                has_qver = true;
            } else if (strcmp(key, GGUF_KEY_GENERAL_ALIGNMENT) == 0 &&
                       gguf_get_alignment(src.get()) != GGUF_DEFAULT_ALIGNMENT) {
                continue;
            } else if (!copy_kv(meta.get(), src.get(), i)) {
                return gpt2_fail(GPT2_ERR_UNSUPPORTED, "%s: key %s has a type gguf cannot write", func, key);
            }
        }
        if (!has_ftype) {
            gguf_set_val_u32(meta.get(), GPT2_KV_FILE_TYPE, wt->ftype);
        }
        if (!has_qver) {
            gguf_set_val_u32(meta.get(), "general.quantization_version", GGML_QNT_VERSION);
        }

        // write: each chunk of rows read from the source, converted if its type changes
        std::vector<uint8_t> raw;
        std::vector<float>   f32;
        auto produce = [&](size_t i, int64_t r0, int64_t n, uint8_t * dst) -> gpt2_status {
            const gpt2_out_tensor & t = tensors[i];
            const ggml_type st = src_types[i];
            const int64_t ne0 = t.ne[0];
            const size_t src_row = ggml_row_size(st, ne0);
            const size_t bytes = (size_t) n * src_row;
            uint8_t * in = dst;  // unchanged type: read straight into the output
            if (st != t.type) {
                raw.resize(bytes);
                in = raw.data();
            }
            if (!seek_to(src_file.get(), src_offsets[i] + (uint64_t) r0 * src_row) ||
                fread(in, 1, bytes, src_file.get()) != bytes) {
                return gpt2_fail(GPT2_ERR_IO, "%s: cannot read %s from '%s'", func, t.name.c_str(), src_path);
            }
            if (st == t.type) {
                return GPT2_OK;
            }
            f32.resize((size_t) (n * ne0));
            gpt2_parallel_rows(n_threads, n, [&](int64_t a, int64_t b) {
                float * rows = f32.data() + a * ne0;
                if (st == GGML_TYPE_F32) {
                    memcpy(rows, in + a * src_row, (size_t) ((b - a) * ne0) * sizeof(float));
                } else {
                    ggml_get_type_traits(st)->to_float(in + a * src_row, rows, (b - a) * ne0);
                }
                ggml_quantize_chunk(t.type, f32.data(), dst, a * ne0, b - a, ne0, nullptr);
            });
            return GPT2_OK;
        };

        ggml_quantize_init(target);
        return gpt2_write_gguf(func, dst_path, meta.get(), tensors, produce);
    });
}
