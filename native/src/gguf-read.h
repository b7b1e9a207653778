// gguf-read.h: reading a GGUF file's header with every fact checked (the model's and the
// adapters' loaders): the parse with ggml's messages kept, and typed, range-checked keys.
#pragma once

#include "model.h"

#include "gguf.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <string>

// Parses the GGUF in file (header, metadata, tensor infos; no tensor data) with ggml's log lines kept,
// not printed: they go to the log at DEBUG, and the first error into why when the parse fails.
// Returns the context (owned: gguf_free) and *ctx the tensors' metadata (owned: ggml_free), or nullptr.
gguf_context * gpt2_gguf_parse(const gpt2_file_map & file, ggml_context ** ctx, const char * fn, const std::string & path,
                               std::string & why);

// Typed keys of a parsed GGUF: each getter returns false with the fault in err (without the file's name).
struct gpt2_gguf_reader {
    gguf_context      * gguf;
    std::string         err;  // the fault, without the "path: " prefix

    bool fail(const char * fmt, ...) {
        char buf[512];
        va_list args;
        va_start(args, fmt);
        vsnprintf(buf, sizeof(buf), fmt, args);
        va_end(args);
        err = buf;
        return false;
    }

    // An unsigned integer key of any integer GGUF type, within [lo, hi].
    bool get_int(const char * key, bool required, int64_t lo, int64_t hi, int64_t & out) {
        int64_t id = gguf_find_key(gguf, key);
        if (id < 0) {
            return required ? fail("missing key %s", key) : true;
        }
        int64_t v;
        switch (gguf_get_kv_type(gguf, id)) {
            case GGUF_TYPE_UINT8:  v = gguf_get_val_u8(gguf, id);  break;
            case GGUF_TYPE_INT8:   v = gguf_get_val_i8(gguf, id);  break;
            case GGUF_TYPE_UINT16: v = gguf_get_val_u16(gguf, id); break;
            case GGUF_TYPE_INT16:  v = gguf_get_val_i16(gguf, id); break;
            case GGUF_TYPE_UINT32: v = gguf_get_val_u32(gguf, id); break;
            case GGUF_TYPE_INT32:  v = gguf_get_val_i32(gguf, id); break;
            case GGUF_TYPE_UINT64: {
                uint64_t u = gguf_get_val_u64(gguf, id);
                v = u > (uint64_t) INT64_MAX ? INT64_MAX : (int64_t) u;
                break;
            }
            case GGUF_TYPE_INT64:  v = gguf_get_val_i64(gguf, id); break;
            default: return fail("key %s has type %s, expected an integer", key, gguf_type_name(gguf_get_kv_type(gguf, id)));
        }
        if (v < lo || v > hi) {
            return fail("key %s = %" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]", key, v, lo, hi);
        }
        out = v;
        return true;
    }

    bool get_str(const char * key, bool required, std::string & out) {
        int64_t id = gguf_find_key(gguf, key);
        if (id < 0) {
            return required ? fail("missing key %s", key) : true;
        }
        if (gguf_get_kv_type(gguf, id) != GGUF_TYPE_STRING) {
            return fail("key %s has type %s, expected a string", key, gguf_type_name(gguf_get_kv_type(gguf, id)));
        }
        out = gguf_get_val_str(gguf, id);
        return true;
    }

    // An array key of the given element type; returns its id, -1 if absent (and not required).
    bool find_arr(const char * key, bool required, gguf_type elem, int64_t & id) {
        id = gguf_find_key(gguf, key);
        if (id < 0) {
            return required ? fail("missing key %s", key) : true;
        }
        if (gguf_get_kv_type(gguf, id) != GGUF_TYPE_ARRAY) {
            return fail("key %s has type %s, expected an array", key, gguf_type_name(gguf_get_kv_type(gguf, id)));
        }
        if (gguf_get_arr_type(gguf, id) != elem) {
            return fail("key %s is an array of %s, expected %s", key,
                        gguf_type_name(gguf_get_arr_type(gguf, id)), gguf_type_name(elem));
        }
        return true;
    }
};
