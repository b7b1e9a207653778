// test_writer.c: gpt2_write_random_model (the tools library, gpt2-tools.h) and gpt2_quantize
// (libgpt2): the two writers of GGUF files, which share libgpt2's streaming writer.
//
// The files are read back two ways: by a small GGUF parser written here from the format's
// description (ggml's gguf.h), independent of ggml, and through the loader (gpt2_model_load).
// Files go to $GPT2_TEST_TMPDIR (default: the current directory).
//
// Set GPT2_TEST_LARGE=1 to also write a model of GPT-2 124M's shape (~500 MB) and time it.
#include "gpt2.h"
#include "gpt2-tools.h"

#include <math.h>  // NAN, INFINITY only: the test does not link libm
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-clock.h"   // now_s

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

static int g_passed = 0;
static int g_failed = 0;
static const char * g_test = "";

#define CHECK(cond, ...) check_impl((cond), __LINE__, #cond, __VA_ARGS__)

static int check_impl(int ok, int line, const char * expr, const char * fmt, ...) {
    if (ok) {
        g_passed++;
        return 1;
    }
    g_failed++;
    fprintf(stderr, "FAIL %s (line %d): %s: ", g_test, line, expr);
    va_list args;
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fprintf(stderr, "\n");
    return 0;
}

static const char * tmp_path(const char * name) {
    static char bufs[8][1024];
    static int  next = 0;
    const char * dir = getenv("GPT2_TEST_TMPDIR");
    char * buf = bufs[next++ % 8];
    snprintf(buf, sizeof(bufs[0]), "%s/%s", dir && dir[0] ? dir : ".", name);
    return buf;
}

static int file_exists(const char * path) {
    FILE * f = fopen(path, "rb");
    if (f) {
        fclose(f);
    }
    return f != NULL;
}

typedef struct {
    unsigned char * data;
    size_t          size;
} blob;

static blob read_file(const char * path) {
    blob b = { NULL, 0 };
    FILE * f = fopen(path, "rb");
    if (!f) {
        return b;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b.data = (unsigned char *) malloc(n > 0 ? (size_t) n : 1);
    b.size = fread(b.data, 1, (size_t) n, f);
    fclose(f);
    return b;
}

static int write_file(const char * path, const void * data, size_t n) {
    FILE * f = fopen(path, "wb");
    if (!f) {
        return 0;
    }
    size_t w = fwrite(data, 1, n, f);
    return fclose(f) == 0 && w == n;
}

static int same_bytes(blob a, blob b) {
    return a.size == b.size && a.data && b.data && memcmp(a.data, b.data, a.size) == 0;
}

static uint64_t fnv1a64(blob b) {
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < b.size; i++) {
        h = (h ^ b.data[i]) * 0x100000001B3ull;
    }
    return h;
}

static double dabs(double x) { return x < 0 ? -x : x; }
static double dmax(double a, double b) { return a > b ? a : b; }
static double dsqrt(double x) {
    if (!(x > 0)) {
        return 0;
    }
    double r = x > 1 ? x : 1;
    for (int i = 0; i < 200; i++) {
        r = 0.5 * (r + x / r);
    }
    return r;
}

static int starts_with(const char * s, const char * prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

// ---------------------------------------------------------------------------------------------
// A GGUF reader (version 3, little-endian), from the format's description
// ---------------------------------------------------------------------------------------------

enum { T_U8, T_I8, T_U16, T_I16, T_U32, T_I32, T_F32, T_BOOL, T_STR, T_ARR, T_U64, T_I64, T_F64 };

#define MAX_KV 64
#define MAX_TENSORS 256

typedef struct {
    char     key[96];
    uint32_t type;
    uint32_t arr_type;   // T_ARR only
    uint64_t arr_n;      // T_ARR only
    size_t   value;      // offset of the value (of the first element for arrays)
} kv_info;

typedef struct {
    char     name[64];
    uint32_t n_dims;
    int64_t  ne[4];
    uint32_t type;
    uint64_t offset;     // from the start of the data section
} tensor_info;

typedef struct {
    blob        file;
    uint32_t    version;
    int64_t     n_kv;
    int64_t     n_tensors;
    kv_info     kv[MAX_KV];
    tensor_info t[MAX_TENSORS];
    size_t      data_start;
    int         ok;
} gguf_file;

typedef struct {
    const unsigned char * p;
    size_t                pos;
    size_t                size;
    int                   ok;
} cursor;

static uint64_t rd(cursor * c, int n) {
    if (!c->ok || c->pos + (size_t) n > c->size) {
        c->ok = 0;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        v |= (uint64_t) c->p[c->pos + i] << (8 * i);
    }
    c->pos += (size_t) n;
    return v;
}

static void skip(cursor * c, uint64_t n) {
    if (!c->ok || n > c->size - c->pos) {
        c->ok = 0;
        return;
    }
    c->pos += (size_t) n;
}

static int scalar_size(uint32_t type) {
    switch (type) {
        case T_U8: case T_I8: case T_BOOL: return 1;
        case T_U16: case T_I16: return 2;
        case T_U32: case T_I32: case T_F32: return 4;
        case T_U64: case T_I64: case T_F64: return 8;
        default: return 0;
    }
}

static void skip_value(cursor * c, uint32_t type) {
    if (type == T_STR) {
        skip(c, rd(c, 8));
    } else if (scalar_size(type) > 0) {
        skip(c, (uint64_t) scalar_size(type));
    } else {
        c->ok = 0;
    }
}

// A gguf string (u64 length, then the bytes) into out as a C string; 0 when it does not fit
// in cap bytes or runs past the end.
static int read_name(cursor * c, char * out, size_t cap) {
    uint64_t n = rd(c, 8);
    if (!c->ok || n >= cap || n > c->size - c->pos) {
        return 0;
    }
    memcpy(out, c->p + c->pos, (size_t) n);
    out[n] = '\0';
    skip(c, n);
    return 1;
}

static gguf_file parse_gguf(const char * path) {
    gguf_file g;
    memset(&g, 0, sizeof(g));
    g.file = read_file(path);
    cursor c = { g.file.data, 0, g.file.size, g.file.data != NULL };
    if (!c.ok || g.file.size < 4 || memcmp(g.file.data, "GGUF", 4) != 0) {
        return g;
    }
    skip(&c, 4);
    g.version   = (uint32_t) rd(&c, 4);
    g.n_tensors = (int64_t) rd(&c, 8);
    g.n_kv      = (int64_t) rd(&c, 8);
    if (g.n_kv < 0 || g.n_kv > MAX_KV || g.n_tensors < 0 || g.n_tensors > MAX_TENSORS) {
        return g;
    }
    for (int64_t i = 0; i < g.n_kv && c.ok; i++) {
        kv_info * kv = &g.kv[i];
        if (!read_name(&c, kv->key, sizeof(kv->key))) {
            return g;
        }
        kv->type = (uint32_t) rd(&c, 4);
        if (kv->type == T_ARR) {
            kv->arr_type = (uint32_t) rd(&c, 4);
            kv->arr_n    = rd(&c, 8);
            kv->value    = c.pos;
            for (uint64_t k = 0; k < kv->arr_n && c.ok; k++) {
                skip_value(&c, kv->arr_type);
            }
        } else {
            kv->value = c.pos;
            skip_value(&c, kv->type);
        }
    }
    for (int64_t i = 0; i < g.n_tensors && c.ok; i++) {
        tensor_info * t = &g.t[i];
        if (!read_name(&c, t->name, sizeof(t->name))) {
            return g;
        }
        t->n_dims = (uint32_t) rd(&c, 4);
        if (t->n_dims < 1 || t->n_dims > 4) {
            return g;
        }
        for (int d = 0; d < 4; d++) {
            t->ne[d] = d < (int) t->n_dims ? (int64_t) rd(&c, 8) : 1;
        }
        t->type   = (uint32_t) rd(&c, 4);
        t->offset = rd(&c, 8);
    }
    // the data section starts at the next multiple of the alignment (32: we write no
    // general.alignment)
    g.data_start = (c.pos + 31) / 32 * 32;
    g.ok = c.ok && g.data_start <= g.file.size;
    return g;
}

static void free_gguf(gguf_file * g) {
    free(g->file.data);
    g->file.data = NULL;
}

static const kv_info * find_kv(const gguf_file * g, const char * key) {
    for (int64_t i = 0; i < g->n_kv; i++) {
        if (strcmp(g->kv[i].key, key) == 0) {
            return &g->kv[i];
        }
    }
    return NULL;
}

static const tensor_info * find_tensor(const gguf_file * g, const char * name) {
    for (int64_t i = 0; i < g->n_tensors; i++) {
        if (strcmp(g->t[i].name, name) == 0) {
            return &g->t[i];
        }
    }
    return NULL;
}

static uint64_t le(const unsigned char * p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        v |= (uint64_t) p[i] << (8 * i);
    }
    return v;
}

// u32 value of key, or -1 if absent or not u32
static int64_t kv_u32(const gguf_file * g, const char * key) {
    const kv_info * kv = find_kv(g, key);
    return kv && kv->type == T_U32 ? (int64_t) le(g->file.data + kv->value, 4) : -1;
}

static float kv_f32(const gguf_file * g, const char * key) {
    const kv_info * kv = find_kv(g, key);
    if (!kv || kv->type != T_F32) {
        return NAN;
    }
    uint32_t u = (uint32_t) le(g->file.data + kv->value, 4);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

// string value (or string element i of an array): pointer into the file and its length
static const char * kv_str(const gguf_file * g, const char * key, uint64_t i, uint64_t * len) {
    const kv_info * kv = find_kv(g, key);
    *len = 0;
    if (!kv || !(kv->type == T_STR || (kv->type == T_ARR && kv->arr_type == T_STR))) {
        return NULL;
    }
    size_t pos = kv->value;
    if (kv->type == T_ARR && i >= kv->arr_n) {
        return NULL;
    }
    for (uint64_t k = 0; k < i; k++) {
        pos += 8 + (size_t) le(g->file.data + pos, 8);
    }
    *len = le(g->file.data + pos, 8);
    return (const char *) g->file.data + pos + 8;
}

static int kv_str_is(const gguf_file * g, const char * key, const char * want) {
    uint64_t n;
    const char * s = kv_str(g, key, 0, &n);
    return s && n == strlen(want) && memcmp(s, want, n) == 0;
}

static const unsigned char * tensor_data(const gguf_file * g, const tensor_info * t) {
    return g->file.data + g->data_start + t->offset;
}

// ---------------------------------------------------------------------------------------------
// ggml types, from ggml's block layouts
// ---------------------------------------------------------------------------------------------

typedef struct {
    int32_t    type;
    uint32_t   ftype;
    int        block;   // values per block
    int        bytes;   // bytes per block
    const char * name;
} type_row;

static const type_row k_types[] = {
    { GPT2_TYPE_F32,  0,  1,  4, "F32"  },
    { GPT2_TYPE_F16,  1,  1,  2, "F16"  },
    { GPT2_TYPE_BF16, 32, 1,  2, "BF16" },
    { GPT2_TYPE_Q8_0, 7,  32, 34, "Q8_0" },
    { GPT2_TYPE_Q4_0, 2,  32, 18, "Q4_0" },
    { GPT2_TYPE_Q4_1, 3,  32, 20, "Q4_1" },
    { GPT2_TYPE_Q5_0, 8,  32, 22, "Q5_0" },
    { GPT2_TYPE_Q5_1, 9,  32, 24, "Q5_1" },
};
#define N_TYPES ((int) (sizeof(k_types) / sizeof(k_types[0])))

static const type_row * type_of(uint32_t type) {
    for (int i = 0; i < N_TYPES; i++) {
        if ((uint32_t) k_types[i].type == type) {
            return &k_types[i];
        }
    }
    return NULL;
}

static int64_t tensor_bytes(const tensor_info * t) {
    const type_row * r = type_of(t->type);
    if (!r) {
        return -1;
    }
    return t->ne[0] / r->block * r->bytes * t->ne[1] * t->ne[2] * t->ne[3];
}

static float f16_to_f32(uint16_t h) {
    const uint32_t sign = (uint32_t) (h >> 15) << 31;
    uint32_t exp  = (h >> 10) & 0x1F;
    uint32_t mant = h & 0x3FF;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            int e = -1;
            do {
                e++;
                mant <<= 1;
            } while ((mant & 0x400) == 0);
            bits = sign | ((uint32_t) (127 - 15 - e) << 23) | ((mant & 0x3FF) << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7F800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

// value k of a tensor of type F32, F16, BF16 or Q8_0
static float value_at(const gguf_file * g, const tensor_info * t, int64_t k) {
    const unsigned char * d = tensor_data(g, t);
    uint32_t u;
    float f;
    switch (t->type) {
        case GPT2_TYPE_F32:
            u = (uint32_t) le(d + 4 * k, 4);
            memcpy(&f, &u, 4);
            return f;
        case GPT2_TYPE_F16:
            return f16_to_f32((uint16_t) le(d + 2 * k, 2));
        case GPT2_TYPE_BF16:
            u = (uint32_t) le(d + 2 * k, 2) << 16;
            memcpy(&f, &u, 4);
            return f;
        case GPT2_TYPE_Q8_0: {
            const unsigned char * b = d + (k / 32) * 34;
            return f16_to_f32((uint16_t) le(b, 2)) * (float) (int8_t) b[2 + k % 32];
        }
        default:
            return NAN;
    }
}

// ---------------------------------------------------------------------------------------------
// GPT-2's byte-to-unicode table, written out independently of the library
// ---------------------------------------------------------------------------------------------

// code point of the byte token with id i (ids in GPT-2's order)
static uint32_t byte_token_cp(int i, int * byte) {
    int id = 0;
    for (int b = 0; b < 256; b++) {
        int printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        if (printable && id++ == i) {
            *byte = b;
            return (uint32_t) b;
        }
    }
    int n = 0;
    for (int b = 0; b < 256; b++) {
        int printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        if (!printable) {
            if (id++ == i) {
                *byte = b;
                return 256u + (uint32_t) n;
            }
            n++;
        }
    }
    *byte = -1;
    return 0;
}

static int utf8_encode(uint32_t cp, char * out) {
    if (cp < 0x80) {
        out[0] = (char) cp;
        return 1;
    }
    out[0] = (char) (0xC0 | (cp >> 6));
    out[1] = (char) (0x80 | (cp & 0x3F));
    return 2;
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

static const char * k_layer_tensors[] = {
    "attn_norm.weight", "attn_norm.bias", "attn_qkv.weight", "attn_qkv.bias",
    "attn_output.weight", "attn_output.bias", "ffn_norm.weight", "ffn_norm.bias",
    "ffn_up.weight", "ffn_up.bias", "ffn_down.weight", "ffn_down.bias",
};

static const char * k_keys[] = {
    "general.architecture", "general.name", "gpt2.block_count", "gpt2.context_length",
    "gpt2.embedding_length", "gpt2.feed_forward_length", "gpt2.attention.head_count",
    "gpt2.attention.layer_norm_epsilon", "general.file_type", "general.quantization_version",
    "tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.tokens", "tokenizer.ggml.token_type",
    "tokenizer.ggml.merges", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
};

static int is_matrix(const char * name) {
    return strstr(name, "attn_qkv.weight") || strstr(name, "attn_output.weight") ||
           strstr(name, "ffn_up.weight") || strstr(name, "ffn_down.weight") ||
           strcmp(name, "token_embd.weight") == 0 || strcmp(name, "output.weight") == 0;
}

// Checks the keys, tensor names, shapes, types and data layout of a file written from p.
static void check_layout(const char * path, const gpt2_random_model_params * p) {
    gguf_file g = parse_gguf(path);
    if (!CHECK(g.ok, "%s parses as GGUF", path)) {
        free_gguf(&g);
        return;
    }
    const type_row * wt = type_of((uint32_t) p->weight_type);
    const int64_t n_embd = p->n_embd;
    CHECK(memcmp(g.file.data, "GGUF", 4) == 0, "magic");
    CHECK(g.version == 3, "version %u", g.version);

    // keys: exactly llama.cpp's converter's, in its order
    const int n_keys = (int) (sizeof(k_keys) / sizeof(k_keys[0]));
    CHECK(g.n_kv == n_keys, "n_kv %lld", (long long) g.n_kv);
    for (int i = 0; i < n_keys && i < g.n_kv; i++) {
        CHECK(strcmp(g.kv[i].key, k_keys[i]) == 0, "key %d is %s, not %s", i, g.kv[i].key, k_keys[i]);
    }
    CHECK(kv_str_is(&g, "general.architecture", "gpt2"), "architecture");
    CHECK(kv_u32(&g, "gpt2.block_count") == p->n_layer, "block_count");
    CHECK(kv_u32(&g, "gpt2.context_length") == p->n_ctx, "context_length");
    CHECK(kv_u32(&g, "gpt2.embedding_length") == n_embd, "embedding_length");
    CHECK(kv_u32(&g, "gpt2.feed_forward_length") == 4 * n_embd, "feed_forward_length");
    CHECK(kv_u32(&g, "gpt2.attention.head_count") == p->n_head, "head_count");
    CHECK(kv_f32(&g, "gpt2.attention.layer_norm_epsilon") == 1e-5f, "layer_norm_epsilon");
    CHECK(kv_u32(&g, "general.file_type") == (int64_t) wt->ftype, "file_type %lld for %s",
          (long long) kv_u32(&g, "general.file_type"), wt->name);
    CHECK(kv_u32(&g, "general.quantization_version") == 2, "quantization_version");
    CHECK(kv_str_is(&g, "tokenizer.ggml.model", "gpt2"), "tokenizer model");
    CHECK(kv_str_is(&g, "tokenizer.ggml.pre", "gpt-2"), "tokenizer pre");
    CHECK(kv_u32(&g, "tokenizer.ggml.bos_token_id") == p->n_vocab - 1, "bos");
    CHECK(kv_u32(&g, "tokenizer.ggml.eos_token_id") == p->n_vocab - 1, "eos");
    const kv_info * tok = find_kv(&g, "tokenizer.ggml.tokens");
    const kv_info * typ = find_kv(&g, "tokenizer.ggml.token_type");
    const kv_info * mrg = find_kv(&g, "tokenizer.ggml.merges");
    CHECK(tok && tok->type == T_ARR && tok->arr_type == T_STR && tok->arr_n == (uint64_t) p->n_vocab, "tokens array");
    CHECK(typ && typ->type == T_ARR && typ->arr_type == T_I32 && typ->arr_n == (uint64_t) p->n_vocab, "token_type array");
    CHECK(mrg && mrg->type == T_ARR && mrg->arr_type == T_STR && mrg->arr_n == (uint64_t) p->n_vocab - 257, "merges array");

    // tensors: names, shapes and types
    const int n_tensors = 2 + 12 * p->n_layer + 2 + (p->tied_output ? 0 : 1);
    CHECK(g.n_tensors == n_tensors, "n_tensors %lld, expected %d", (long long) g.n_tensors, n_tensors);
    for (int64_t i = 0; i < g.n_tensors; i++) {
        const tensor_info * t = &g.t[i];
        int64_t ne0 = 0, ne1 = 1;
        const char * name = t->name;
        const char * local = name;
        int il = -1;
        if (starts_with(name, "blk.")) {
            il = atoi(name + 4);
            local = strchr(name + 4, '.') + 1;
        }
        if (strcmp(name, "token_embd.weight") == 0 || strcmp(name, "output.weight") == 0) {
            ne0 = n_embd; ne1 = p->n_vocab;
        } else if (strcmp(name, "position_embd.weight") == 0) {
            ne0 = n_embd; ne1 = p->n_ctx;
        } else if (strcmp(name, "output_norm.weight") == 0 || strcmp(name, "output_norm.bias") == 0) {
            ne0 = n_embd;
        } else if (il >= 0 && il < p->n_layer) {
            if (strcmp(local, "attn_qkv.weight") == 0)     { ne0 = n_embd; ne1 = 3 * n_embd; }
            else if (strcmp(local, "attn_qkv.bias") == 0)  { ne0 = 3 * n_embd; }
            else if (strcmp(local, "attn_output.weight") == 0) { ne0 = n_embd; ne1 = n_embd; }
            else if (strcmp(local, "ffn_up.weight") == 0)  { ne0 = n_embd; ne1 = 4 * n_embd; }
            else if (strcmp(local, "ffn_up.bias") == 0)    { ne0 = 4 * n_embd; }
            else if (strcmp(local, "ffn_down.weight") == 0) { ne0 = 4 * n_embd; ne1 = n_embd; }
            else { ne0 = n_embd; }  // norms and the other biases
        }
        CHECK(ne0 > 0, "unexpected tensor %s", name);
        CHECK(t->ne[0] == ne0 && t->ne[1] == ne1 && t->ne[2] == 1 && t->ne[3] == 1,
              "%s is [%lld, %lld], expected [%lld, %lld]", name, (long long) t->ne[0], (long long) t->ne[1],
              (long long) ne0, (long long) ne1);
        CHECK(t->n_dims == (ne1 > 1 ? 2u : 1u), "%s has %u dims", name, t->n_dims);
        const uint32_t want = is_matrix(name) ? (uint32_t) p->weight_type : GPT2_TYPE_F32;
        CHECK(t->type == want, "%s is type %u, expected %u", name, t->type, want);
    }
    for (int il = 0; il < p->n_layer; il++) {
        for (int k = 0; k < 12; k++) {
            char name[64];
            snprintf(name, sizeof(name), "blk.%d.%s", il, k_layer_tensors[k]);
            CHECK(find_tensor(&g, name) != NULL, "missing %s", name);
        }
    }
    CHECK(find_tensor(&g, "token_embd.weight") && find_tensor(&g, "position_embd.weight") &&
          find_tensor(&g, "output_norm.weight") && find_tensor(&g, "output_norm.bias"), "global tensors");
    CHECK((find_tensor(&g, "output.weight") == NULL) == (p->tied_output != 0), "output.weight iff untied");

    // data: in order, each aligned to 32, the file ends with the padded last tensor
    uint64_t end = 0;
    for (int64_t i = 0; i < g.n_tensors; i++) {
        const tensor_info * t = &g.t[i];
        CHECK(t->offset == end, "%s at %llu, expected %llu", t->name, (unsigned long long) t->offset,
              (unsigned long long) end);
        end = (t->offset + (uint64_t) tensor_bytes(t) + 31) / 32 * 32;
    }
    CHECK(g.data_start + end == g.file.size, "file size %zu, expected %llu", g.file.size,
          (unsigned long long) (g.data_start + end));
    free_gguf(&g);
}

static void test_default_params(void) {
    g_test = "default_params";
    gpt2_random_model_params p = gpt2_random_model_default_params();
    CHECK(p.n_vocab == 512 && p.n_ctx == 128 && p.n_embd == 64 && p.n_head == 4 && p.n_layer == 2,
          "shape defaults");
    CHECK(p.weight_type == GPT2_TYPE_F32 && p.tied_output == 1 && p.seed == 42 && p.scale == 0.02f,
          "other defaults");
}

// The default random-model params with this shape.
static gpt2_random_model_params shaped_params(int32_t n_vocab, int32_t n_ctx, int32_t n_embd, int32_t n_head,
                                              int32_t n_layer) {
    gpt2_random_model_params p = gpt2_random_model_default_params();
    p.n_vocab = n_vocab;
    p.n_ctx   = n_ctx;
    p.n_embd  = n_embd;
    p.n_head  = n_head;
    p.n_layer = n_layer;
    return p;
}

static void test_layout_of_every_type(void) {
    g_test = "layout_of_every_type";
    for (int i = 0; i < N_TYPES; i++) {
        for (int untied = 0; untied <= 1; untied++) {
            gpt2_random_model_params p = gpt2_random_model_default_params();
            p.weight_type = k_types[i].type;
            p.tied_output = (uint8_t) !untied;
            p.n_layer = 3;
            char name[64];
            snprintf(name, sizeof(name), "layout-%s-%d.gguf", k_types[i].name, untied);
            const char * path = tmp_path(name);
            gpt2_status st = gpt2_write_random_model(path, &p);
            if (CHECK(st == GPT2_OK, "%s: %s", k_types[i].name, gpt2_tools_last_error())) {
                check_layout(path, &p);
            }
            remove(path);
        }
    }
    // odd shapes: the smallest vocabulary (no merges), one head, two positions
    gpt2_random_model_params p = shaped_params(257, 2, 8, 1, 1);
    p.tied_output = 0;
    const char * path = tmp_path("layout-small.gguf");
    if (CHECK(gpt2_write_random_model(path, &p) == GPT2_OK, "%s", gpt2_tools_last_error())) {
        check_layout(path, &p);
    }
    remove(path);
}

static void test_vocab_is_byte_level_bpe(void) {
    g_test = "vocab_is_byte_level_bpe";
    gpt2_random_model_params p = gpt2_random_model_default_params();
    p.n_vocab = 3000;  // past the merges learned from the built-in text
    const char * path = tmp_path("vocab.gguf");
    if (!CHECK(gpt2_write_random_model(path, &p) == GPT2_OK, "%s", gpt2_tools_last_error())) {
        return;
    }
    gguf_file g = parse_gguf(path);
    if (!CHECK(g.ok, "parse")) {
        free_gguf(&g);
        return;
    }
    // byte tokens: GPT-2's table and order (token 220 is " " as "Ġ", token 198 "\n" as "Ċ")
    for (int i = 0; i < 256; i++) {
        int byte;
        char want[2];
        const int n = utf8_encode(byte_token_cp(i, &byte), want);
        uint64_t len;
        const char * s = kv_str(&g, "tokenizer.ggml.tokens", (uint64_t) i, &len);
        CHECK(s && len == (uint64_t) n && memcmp(s, want, (size_t) n) == 0, "byte token %d (byte %d)", i, byte);
    }
    uint64_t len;
    const char * s = kv_str(&g, "tokenizer.ggml.tokens", 220, &len);
    CHECK(s && len == 2 && memcmp(s, "\xC4\xA0", 2) == 0, "token 220 is \"\xC4\xA0\"");
    s = kv_str(&g, "tokenizer.ggml.tokens", 198, &len);
    CHECK(s && len == 2 && memcmp(s, "\xC4\x8A", 2) == 0, "token 198 is \"\xC4\x8A\"");
    s = kv_str(&g, "tokenizer.ggml.tokens", (uint64_t) p.n_vocab - 1, &len);
    CHECK(s && len == 13 && memcmp(s, "<|endoftext|>", 13) == 0, "last token is <|endoftext|>");

    // token types: 1, and 3 for <|endoftext|>
    const kv_info * typ = find_kv(&g, "tokenizer.ggml.token_type");
    int types_ok = typ != NULL;
    for (int i = 0; typ && i < p.n_vocab; i++) {
        const int32_t t = (int32_t) le(g.file.data + typ->value + 4 * (size_t) i, 4);
        types_ok &= t == (i == p.n_vocab - 1 ? 3 : 1);
    }
    CHECK(types_ok, "token types");

    // merge i is "a b", a and b earlier tokens, and a+b is token 256 + i; all tokens unique
    const char ** ts = (const char **) calloc((size_t) p.n_vocab, sizeof(char *));
    uint64_t *    tl = (uint64_t *) calloc((size_t) p.n_vocab, sizeof(uint64_t));
    for (int i = 0; i < p.n_vocab; i++) {
        ts[i] = kv_str(&g, "tokenizer.ggml.tokens", (uint64_t) i, &tl[i]);
    }
    const kv_info * mkv = find_kv(&g, "tokenizer.ggml.merges");
    size_t mpos = mkv ? mkv->value : 0;
    int merges_ok = mkv != NULL;
    int plausible = 0;
    for (int i = 0; i < p.n_vocab - 257 && merges_ok; i++) {
        const uint64_t ml = le(g.file.data + mpos, 8);
        const char * m = (const char *) g.file.data + mpos + 8;
        mpos += 8 + (size_t) ml;
        const char * t = ts[256 + i];
        const uint64_t tn = tl[256 + i];
        const char * sp = memchr(m, ' ', (size_t) ml);
        merges_ok &= sp && ml == tn + 1 && memcmp(m, t, (size_t) (sp - m)) == 0 &&
                     memcmp(sp + 1, t + (sp - m), (size_t) (tn - (uint64_t) (sp - m))) == 0;
        if (!merges_ok) {
            CHECK(0, "merge %d: %.*s", i, (int) ml, m);
            break;
        }
        int found_a = 0, found_b = 0;
        const uint64_t la = (uint64_t) (sp - m), lb = ml - la - 1;
        for (int k = 0; k < 256 + i; k++) {
            found_a |= tl[k] == la && memcmp(ts[k], m, (size_t) la) == 0;
            found_b |= tl[k] == lb && memcmp(ts[k], sp + 1, (size_t) lb) == 0;
        }
        merges_ok &= found_a && found_b;
        CHECK(merges_ok, "merge %d: %.*s: parts are not earlier tokens", i, (int) ml, m);
        plausible += (tn == 4 && memcmp(t, "\xC4\xA0th", 4) == 0) || (tn == 5 && memcmp(t, "\xC4\xA0the", 5) == 0);
    }
    CHECK(merges_ok, "merges");
    CHECK(plausible == 2, "the merges make \"\xC4\xA0th\" and \"\xC4\xA0the\"");
    int unique = 1;
    for (int i = 0; i < p.n_vocab && unique; i++) {
        for (int k = i + 1; k < p.n_vocab; k++) {
            if (tl[i] == tl[k] && memcmp(ts[i], ts[k], (size_t) tl[i]) == 0) {
                unique = 0;
                CHECK(0, "tokens %d and %d are both %.*s", i, k, (int) tl[i], ts[i]);
                break;
            }
        }
    }
    free(ts);
    free(tl);
    CHECK(unique, "tokens unique");
    free_gguf(&g);
    remove(path);
}

static void stats(const gguf_file * g, const char * name, double * mean, double * sd) {
    const tensor_info * t = find_tensor(g, name);
    *mean = NAN;
    *sd = NAN;
    if (!t) {
        return;
    }
    const int64_t n = t->ne[0] * t->ne[1];
    double s = 0, s2 = 0;
    for (int64_t k = 0; k < n; k++) {
        const double v = value_at(g, t, k);
        s += v;
        s2 += v * v;
    }
    *mean = s / (double) n;
    *sd = dsqrt(s2 / (double) n - *mean * *mean);
}

static void test_values_follow_scale(void) {
    g_test = "values_follow_scale";
    const float scales[] = { 0.0f, 0.02f, 0.5f };  // 0: the default, 0.02
    for (int i = 0; i < 3; i++) {
        gpt2_random_model_params p = gpt2_random_model_default_params();
        p.scale = scales[i];
        const char * path = tmp_path("scale.gguf");
        if (!CHECK(gpt2_write_random_model(path, &p) == GPT2_OK, "%s", gpt2_tools_last_error())) {
            continue;
        }
        const double want = scales[i] > 0 ? scales[i] : 0.02;
        gguf_file g = parse_gguf(path);
        double mean, sd;
        stats(&g, "token_embd.weight", &mean, &sd);
        CHECK(dabs(mean) < 0.05 * want && dabs(sd - want) < 0.03 * want, "token_embd mean %g sd %g", mean, sd);
        stats(&g, "blk.1.ffn_down.weight", &mean, &sd);
        CHECK(dabs(mean) < 0.05 * want && dabs(sd - want) < 0.03 * want, "ffn_down mean %g sd %g", mean, sd);
        stats(&g, "blk.0.attn_qkv.bias", &mean, &sd);
        CHECK(dabs(mean) < 0.2 * want && dabs(sd - want) < 0.15 * want, "attn_qkv.bias mean %g sd %g", mean, sd);
        stats(&g, "blk.0.attn_norm.weight", &mean, &sd);
        CHECK(dabs(mean - 1) < 0.05 && dabs(sd - 0.1) < 0.03, "attn_norm.weight mean %g sd %g", mean, sd);
        stats(&g, "output_norm.weight", &mean, &sd);
        CHECK(dabs(mean - 1) < 0.05 && dabs(sd - 0.1) < 0.03, "output_norm.weight mean %g sd %g", mean, sd);
        free_gguf(&g);
        remove(path);
    }
}

// The F32 file of the default parameters, byte for byte. Its weights use integer arithmetic and
// one IEEE multiplication per value, so it is the same on every platform. Update the constant
// only when the generator changes on purpose.
#define DEFAULT_F32_FNV1A64 0xb9ae380262b2c222ull

static void test_same_params_same_bytes(void) {
    g_test = "same_params_same_bytes";
    gpt2_random_model_params p = gpt2_random_model_default_params();
    const char * a = tmp_path("det-a.gguf");
    const char * b = tmp_path("det-b.gguf");
    CHECK(gpt2_write_random_model(a, &p) == GPT2_OK, "%s", gpt2_tools_last_error());
    CHECK(gpt2_write_random_model(b, &p) == GPT2_OK, "%s", gpt2_tools_last_error());
    blob ba = read_file(a), bb = read_file(b);
    CHECK(ba.size > 0 && same_bytes(ba, bb), "two writes differ");
    const uint64_t h = fnv1a64(ba);
    CHECK(h == DEFAULT_F32_FNV1A64, "the default file's hash is 0x%016llx (change DEFAULT_F32_FNV1A64 only when "
          "the generator changes on purpose)", (unsigned long long) h);
    free(bb.data);

    // another seed: other weights, same metadata
    p.seed = 43;
    CHECK(gpt2_write_random_model(b, &p) == GPT2_OK, "%s", gpt2_tools_last_error());
    bb = read_file(b);
    CHECK(ba.size == bb.size && !same_bytes(ba, bb), "seed 43 gives the bytes of seed 42");
    free(bb.data);

    // untied: the same tensors plus output.weight, each tensor with its own stream
    p.seed = 42;
    p.tied_output = 0;
    CHECK(gpt2_write_random_model(b, &p) == GPT2_OK, "%s", gpt2_tools_last_error());
    gguf_file ga = parse_gguf(a), gb = parse_gguf(b);
    const tensor_info * ta = find_tensor(&ga, "token_embd.weight");
    const tensor_info * tb = find_tensor(&gb, "token_embd.weight");
    const tensor_info * out = find_tensor(&gb, "output.weight");
    CHECK(ta && tb && memcmp(tensor_data(&ga, ta), tensor_data(&gb, tb), (size_t) tensor_bytes(ta)) == 0,
          "token_embd of tied and untied differ");
    CHECK(ta && out && memcmp(tensor_data(&ga, ta), tensor_data(&gb, out), (size_t) tensor_bytes(ta)) != 0,
          "output.weight is a copy of token_embd");
    free_gguf(&ga);
    free_gguf(&gb);
    free(ba.data);
    remove(a);
    remove(b);
}

static void expect_invalid(const char * what, const gpt2_random_model_params * p, const char * path) {
    gpt2_status st = gpt2_write_random_model(path, p);
    CHECK(st == GPT2_ERR_INVALID_ARG, "%s: status %s", what, gpt2_status_name(st));
    CHECK(starts_with(gpt2_tools_last_error(), "gpt2_write_random_model: "), "%s: message \"%s\"", what, gpt2_tools_last_error());
    CHECK(path == NULL || !file_exists(path), "%s: a file was written", what);
}

static void test_invalid_arguments(void) {
    g_test = "invalid_arguments";
    const char * path = tmp_path("invalid.gguf");
    remove(path);
    const gpt2_random_model_params d = gpt2_random_model_default_params();
    gpt2_random_model_params p;

    expect_invalid("NULL path", &d, NULL);
    expect_invalid("empty path", &d, "");
    expect_invalid("NULL params", NULL, path);
#define INVALID(field, value) p = d; p.field = value; expect_invalid(#field " = " #value, &p, path)
    INVALID(n_vocab, 256);
    INVALID(n_vocab, 0);
    INVALID(n_vocab, -1);
    INVALID(n_vocab, (1 << 20) + 1);
    INVALID(n_ctx, 0);
    INVALID(n_ctx, -5);
    INVALID(n_ctx, (1 << 16) + 1);
    INVALID(n_embd, 0);
    INVALID(n_embd, 63);  // not a multiple of n_head = 4
    INVALID(n_embd, (1 << 15) + 4);
    INVALID(n_head, 0);
    INVALID(n_head, 3);
    INVALID(n_head, -4);
    INVALID(n_layer, 0);
    INVALID(n_layer, 1025);
    INVALID(weight_type, -1);
    INVALID(weight_type, 4);   // Q4_2, removed from ggml
    INVALID(weight_type, 14);  // Q6_K: not a gpt2_type
    INVALID(weight_type, 99);
    INVALID(tied_output, 2);
    INVALID(scale, NAN);
    INVALID(scale, INFINITY);
    INVALID(scale, 1000.0f);
#undef INVALID
    // block types need rows that are multiples of 32
    p = d;
    p.n_embd = 48;
    p.n_head = 4;
    for (int i = 0; i < N_TYPES; i++) {
        p.weight_type = k_types[i].type;
        if (k_types[i].block > 1) {
            expect_invalid(k_types[i].name, &p, path);
        } else {
            CHECK(gpt2_write_random_model(path, &p) == GPT2_OK, "n_embd 48 %s: %s", k_types[i].name, gpt2_tools_last_error());
            remove(path);
        }
    }
    // an unwritable path is an I/O error
    p = d;
    gpt2_status st = gpt2_write_random_model(tmp_path("no-such-dir/x.gguf"), &p);
    CHECK(st == GPT2_ERR_IO, "missing directory: %s", gpt2_status_name(st));
    CHECK(starts_with(gpt2_tools_last_error(), "gpt2_write_random_model: "), "message \"%s\"", gpt2_tools_last_error());
    // the writer's messages and libgpt2's are kept apart: neither overwrites the other
    CHECK(gpt2_quantize(NULL, path, GPT2_TYPE_F16, 1) == GPT2_ERR_INVALID_ARG, "quantize NULL src");
    CHECK(gpt2_write_random_model(NULL, &p) == GPT2_ERR_INVALID_ARG, "write NULL path");
    CHECK(starts_with(gpt2_last_error(), "gpt2_quantize: "), "libgpt2's message \"%s\"", gpt2_last_error());
    CHECK(starts_with(gpt2_tools_last_error(), "gpt2_write_random_model: "), "the tools' message \"%s\"",
          gpt2_tools_last_error());
}

// Compares tensor values of two files, F32/F16/BF16/Q8_0; returns the largest difference.
static double max_diff(const gguf_file * a, const gguf_file * b, const char * name) {
    const tensor_info * ta = find_tensor(a, name);
    const tensor_info * tb = find_tensor(b, name);
    if (!ta || !tb || ta->ne[0] != tb->ne[0] || ta->ne[1] != tb->ne[1]) {
        return INFINITY;
    }
    double m = 0;
    for (int64_t k = 0; k < ta->ne[0] * ta->ne[1]; k++) {
        m = dmax(m, dabs((double) value_at(a, ta, k) - (double) value_at(b, tb, k)));
    }
    return m;
}

static int same_keys(const gguf_file * a, const gguf_file * b) {
    if (a->n_kv != b->n_kv) {
        return 0;
    }
    for (int64_t i = 0; i < a->n_kv; i++) {
        if (strcmp(a->kv[i].key, b->kv[i].key) != 0) {
            return 0;
        }
    }
    return 1;
}

static void test_quantize_round_trip(void) {
    g_test = "quantize_round_trip";
    gpt2_random_model_params p = gpt2_random_model_default_params();
    p.tied_output = 0;
    p.scale = 0.1f;
    const char * f32 = tmp_path("rt-f32.gguf");
    const char * q   = tmp_path("rt-q.gguf");
    const char * ref = tmp_path("rt-ref.gguf");
    const char * back = tmp_path("rt-back.gguf");
    if (!CHECK(gpt2_write_random_model(f32, &p) == GPT2_OK, "%s", gpt2_tools_last_error())) {
        return;
    }

    // F32 -> each type gives the file that gpt2_write_random_model writes for that type
    for (int i = 0; i < N_TYPES; i++) {
        for (int threads = 1; threads <= 3; threads += 2) {
            gpt2_status st = gpt2_quantize(f32, q, k_types[i].type, threads);
            if (!CHECK(st == GPT2_OK, "%s: %s", k_types[i].name, gpt2_last_error())) {
                continue;
            }
            gpt2_random_model_params pr = p;
            pr.weight_type = k_types[i].type;
            CHECK(gpt2_write_random_model(ref, &pr) == GPT2_OK, "%s", gpt2_tools_last_error());
            blob bq = read_file(q), br = read_file(ref);
            CHECK(same_bytes(bq, br), "quantize(F32 -> %s, %d threads) differs from the random %s model",
                  k_types[i].name, threads, k_types[i].name);
            free(bq.data);
            free(br.data);
            check_layout(q, &pr);
        }
    }

    // F32 -> Q8_0 -> F32: the Q8_0 values, within Q8_0's error of the original
    CHECK(gpt2_quantize(f32, q, GPT2_TYPE_Q8_0, 0) == GPT2_OK, "%s", gpt2_last_error());
    CHECK(gpt2_quantize(q, back, GPT2_TYPE_F32, 2) == GPT2_OK, "%s", gpt2_last_error());
    gguf_file g0 = parse_gguf(f32), g1 = parse_gguf(q), g2 = parse_gguf(back);
    CHECK(g0.ok && g1.ok && g2.ok, "parse");
    CHECK(same_keys(&g0, &g1) && same_keys(&g0, &g2), "keys and their order are kept");
    CHECK(kv_u32(&g1, "general.file_type") == 7 && kv_u32(&g2, "general.file_type") == 0, "file types");
    const char * names[] = { "token_embd.weight", "output.weight", "blk.1.attn_qkv.weight", "blk.0.ffn_down.weight" };
    for (int i = 0; i < 4; i++) {
        const double d01 = max_diff(&g0, &g1, names[i]);
        const double d12 = max_diff(&g1, &g2, names[i]);
        CHECK(d01 > 0 && d01 < 0.1 * 4.5 / 127, "%s: Q8_0 error %g", names[i], d01);
        CHECK(d12 == 0, "%s: F32 of Q8_0 differs from Q8_0 by %g", names[i], d12);
    }
    CHECK(max_diff(&g0, &g2, "position_embd.weight") == 0, "position_embd is kept");
    CHECK(max_diff(&g0, &g2, "blk.0.attn_norm.weight") == 0, "norms are kept");
    if (g0.ok && g2.ok) {
        // F32 -> Q8_0 -> F32 and F32 have the same metadata and layout
        CHECK(g0.data_start == g2.data_start && g0.file.size == g2.file.size &&
              memcmp(g0.file.data, g2.file.data, g0.data_start) == 0, "metadata of the round trip");
    }
    free_gguf(&g0);
    free_gguf(&g1);
    free_gguf(&g2);

    // through the loader
    gpt2_model_params mp = gpt2_model_default_params();
    mp.backend = GPT2_BACKEND_CPU;
    mp.n_threads = 1;
    gpt2_model * m = gpt2_model_load(q, &mp);
    if (CHECK(m != NULL, "load Q8_0: %s", gpt2_last_error())) {
        CHECK(gpt2_model_weight_type(m) == GPT2_TYPE_Q8_0, "weight type %d", gpt2_model_weight_type(m));
        CHECK(gpt2_model_output_tied(m) == 0, "untied");
        CHECK(gpt2_model_n_vocab(m) == p.n_vocab && gpt2_model_n_layer(m) == p.n_layer, "shape");
        gpt2_model_free(m);
    }
    remove(f32);
    remove(q);
    remove(ref);
    remove(back);
}

static void expect_quantize(const char * what, const char * src, const char * dst, int32_t type,
                            gpt2_status want) {
    if (dst && (src == NULL || strcmp(src, dst) != 0)) {
        remove(dst);
    }
    gpt2_status st = gpt2_quantize(src, dst, type, 1);
    CHECK(st == want, "%s: %s, expected %s (%s)", what, gpt2_status_name(st), gpt2_status_name(want), gpt2_last_error());
    CHECK(starts_with(gpt2_last_error(), "gpt2_quantize: "), "%s: message \"%s\"", what, gpt2_last_error());
    CHECK(dst == NULL || src == NULL || strcmp(src, dst) == 0 || !file_exists(dst), "%s: a file was left", what);
}

static void test_quantize_errors(void) {
    g_test = "quantize_errors";
    gpt2_random_model_params p = gpt2_random_model_default_params();
    const char * src = tmp_path("qe-src.gguf");
    const char * dst = tmp_path("qe-dst.gguf");
    const char * bad = tmp_path("qe-bad.gguf");
    CHECK(gpt2_write_random_model(src, &p) == GPT2_OK, "%s", gpt2_tools_last_error());

    expect_quantize("NULL src", NULL, dst, GPT2_TYPE_Q8_0, GPT2_ERR_INVALID_ARG);
    expect_quantize("NULL dst", src, NULL, GPT2_TYPE_Q8_0, GPT2_ERR_INVALID_ARG);
    expect_quantize("type -1", src, dst, -1, GPT2_ERR_INVALID_ARG);
    expect_quantize("type Q6_K", src, dst, 14, GPT2_ERR_INVALID_ARG);
    expect_quantize("type 1000", src, dst, 1000, GPT2_ERR_INVALID_ARG);
    expect_quantize("src == dst", src, src, GPT2_TYPE_Q8_0, GPT2_ERR_INVALID_ARG);
    expect_quantize("missing src", tmp_path("qe-missing.gguf"), dst, GPT2_TYPE_Q8_0, GPT2_ERR_IO);
    expect_quantize("dst in a missing directory", src, tmp_path("no-such-dir/x.gguf"), GPT2_TYPE_Q8_0, GPT2_ERR_IO);

    // not GGUF
    const char text[] = "this is not a GGUF file\n";
    CHECK(write_file(bad, text, sizeof(text) - 1), "write");
    expect_quantize("text file", bad, dst, GPT2_TYPE_Q8_0, GPT2_ERR_FORMAT);

    // GGUF of another architecture: "gpt2" -> "gpt3" in general.architecture
    blob b = read_file(src);
    gguf_file g = parse_gguf(src);
    const kv_info * arch = find_kv(&g, "general.architecture");
    if (CHECK(arch != NULL, "architecture key")) {
        b.data[arch->value + 8 + 3] = '3';
        CHECK(write_file(bad, b.data, b.size), "write");
        expect_quantize("architecture gpt3", bad, dst, GPT2_TYPE_Q8_0, GPT2_ERR_FORMAT);
    }
    // truncated: the header and half the data
    CHECK(write_file(bad, b.data, b.size / 2), "write");
    expect_quantize("truncated", bad, dst, GPT2_TYPE_Q8_0, GPT2_ERR_FORMAT);
    free_gguf(&g);
    free(b.data);

    // rows of 48 values cannot take a 32-value block type; F16 is fine
    p.n_embd = 48;
    CHECK(gpt2_write_random_model(src, &p) == GPT2_OK, "%s", gpt2_tools_last_error());
    expect_quantize("Q4_0 of rows of 48", src, dst, GPT2_TYPE_Q4_0, GPT2_ERR_INVALID_ARG);
    CHECK(strstr(gpt2_last_error(), ".weight") != NULL, "message names the tensor: %s", gpt2_last_error());
    CHECK(gpt2_quantize(src, dst, GPT2_TYPE_F16, 1) == GPT2_OK, "F16 of rows of 48: %s", gpt2_last_error());

    remove(src);
    remove(dst);
    remove(bad);
}

static void test_load_through_api(void) {
    g_test = "load_through_api";
    gpt2_random_model_params p = shaped_params(1000, 64, 96, 6, 3);
    const char * path = tmp_path("load.gguf");
    if (!CHECK(gpt2_write_random_model(path, &p) == GPT2_OK, "%s", gpt2_tools_last_error())) {
        return;
    }
    gpt2_model_params mp = gpt2_model_default_params();
    mp.backend = GPT2_BACKEND_CPU;
    mp.n_threads = 1;
    gpt2_model * m = gpt2_model_load(path, &mp);
    if (CHECK(m != NULL, "load: %s", gpt2_last_error())) {
        CHECK(gpt2_model_n_vocab(m) == 1000, "n_vocab %d", gpt2_model_n_vocab(m));
        CHECK(gpt2_model_n_ctx_train(m) == 64, "n_ctx_train %d", gpt2_model_n_ctx_train(m));
        CHECK(gpt2_model_n_embd(m) == 96, "n_embd %d", gpt2_model_n_embd(m));
        CHECK(gpt2_model_n_head(m) == 6, "n_head %d", gpt2_model_n_head(m));
        CHECK(gpt2_model_n_layer(m) == 3, "n_layer %d", gpt2_model_n_layer(m));
        CHECK(gpt2_model_n_ff(m) == 384, "n_ff %d", gpt2_model_n_ff(m));
        CHECK(gpt2_model_norm_eps(m) == 1e-5f, "norm_eps %g", (double) gpt2_model_norm_eps(m));
        CHECK(gpt2_model_weight_type(m) == GPT2_TYPE_F32, "weight type");
        CHECK(gpt2_model_output_tied(m) == 1, "tied");
        // token_embd + position_embd + per layer (qkv, out, up, down, 4 norms, 4 biases) + ln_f
        const int64_t per_layer = 96 * 288 + 288 + 96 * 96 + 96 + 96 * 384 + 384 + 384 * 96 + 96 + 4 * 96;
        const int64_t n_params = 1000 * 96 + 64 * 96 + 3 * per_layer + 2 * 96;
        CHECK(gpt2_model_n_params(m) == n_params, "n_params %lld, expected %lld",
              (long long) gpt2_model_n_params(m), (long long) n_params);
        CHECK(strcmp(gpt2_model_name(m), "gpt2-random") == 0, "name %s", gpt2_model_name(m));
        CHECK(gpt2_token_bos(m) == 999 && gpt2_token_eos(m) == 999, "bos/eos");
        CHECK(gpt2_n_merges(m) == 1000 - 257, "n_merges %d", gpt2_n_merges(m));
        int32_t len = 0;
        const char * t = gpt2_token_text(m, 220, &len);
        CHECK(t && len == 2 && memcmp(t, "\xC4\xA0", 2) == 0, "text of token 220");
        uint8_t buf[32];
        CHECK(gpt2_token_bytes(m, 220, buf, sizeof(buf)) == 1 && buf[0] == ' ', "bytes of token 220");
        CHECK(gpt2_token_bytes(m, 999, buf, sizeof(buf)) == 13 && memcmp(buf, "<|endoftext|>", 13) == 0,
              "bytes of <|endoftext|>");
        CHECK(gpt2_token_type(m, 999) == 3 && gpt2_token_type(m, 0) == 1, "token types");
        const char * mg = gpt2_merge(m, 0, &len);
        CHECK(mg && len > 2 && memchr(mg, ' ', (size_t) len) != NULL, "merge 0");
        gpt2_model_free(m);
    }
    remove(path);
}

static void test_large_124m_shape(void) {
    g_test = "large_124m_shape";
    const char * large = getenv("GPT2_TEST_LARGE");
    if (!large || strcmp(large, "1") != 0) {
        return;
    }
    gpt2_random_model_params p = shaped_params(50257, 1024, 768, 12, 12);  // GPT-2 124M
    const char * path = tmp_path("large.gguf");
    const char * q = tmp_path("large-q.gguf");
    for (int i = 0; i < N_TYPES; i++) {
        p.weight_type = k_types[i].type;
        const double t0 = now_s();
        gpt2_status st = gpt2_write_random_model(path, &p);
        const double t1 = now_s();
        CHECK(st == GPT2_OK, "%s: %s", k_types[i].name, gpt2_tools_last_error());
        blob b = read_file(path);
        printf("test_writer: 124M shape %-4s written in %.2f s (%.1f MB)\n", k_types[i].name, t1 - t0,
               (double) b.size / 1e6);
        free(b.data);
        if (p.weight_type == GPT2_TYPE_F32) {
            const double t2 = now_s();
            st = gpt2_quantize(path, q, GPT2_TYPE_Q8_0, 0);
            CHECK(st == GPT2_OK, "quantize: %s", gpt2_last_error());
            printf("test_writer: 124M shape F32 -> Q8_0 quantized in %.2f s\n", now_s() - t2);
            remove(q);
        }
    }
    remove(path);
}

int main(void) {
    test_default_params();
    test_layout_of_every_type();
    test_vocab_is_byte_level_bpe();
    test_values_follow_scale();
    test_same_params_same_bytes();
    test_invalid_arguments();
    test_quantize_round_trip();
    test_quantize_errors();
    test_load_through_api();
    test_large_124m_shape();
    printf("test_writer: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
