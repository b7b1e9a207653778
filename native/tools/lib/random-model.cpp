// random-model.cpp: gpt2_write_random_model (gpt2-tools.h), GPT-2 GGUF files with random weights
// for fixtures and benchmarks: deterministic weights, and a byte-level BPE vocabulary learned from a
// small built-in text. Written with libgpt2's streaming GGUF writer (gguf-writer.h), so a random
// model of a type is byte for byte the F32 one run through gpt2_quantize.

#include "gpt2-tools.h"
#include "gguf-writer.h"
#include "gpt2-arch.h"
#include "error.h"
#include "vocab-bytes.h"

#include "ggml.h"
#include "ggml-cpp.h"
#include "gguf.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------------
// Deterministic random numbers, the same on every platform
// ---------------------------------------------------------------------------------------------
//
// splitmix64 (Steele, Lea, Flood 2014). A normal variate is the sum of the four 16-bit lanes of
// one draw (Irwin-Hall, n = 4), centred and scaled with one multiplication: integer arithmetic
// and correctly rounded IEEE operations only, no libm (log, cos of Box-Muller can differ in the
// last bit between C libraries), and no a*b+c that a compiler could fuse into an FMA.

uint64_t splitmix64_mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

struct rng {
    uint64_t state;

    uint64_t next() {
        state += 0x9E3779B97F4A7C15ull;
        return splitmix64_mix(state);
    }

    // sum of four uniform 16-bit integers minus its mean: mean 0, sd k_irwin_hall_sd
    int32_t centred() {
        const uint64_t x = next();
        const int32_t s = (int32_t) (x & 0xFFFF) + (int32_t) ((x >> 16) & 0xFFFF) +
                          (int32_t) ((x >> 32) & 0xFFFF) + (int32_t) (x >> 48);
        return s - 2 * 65535;
    }
};

// sd of the sum of four uniform integers 0..65535: sqrt(4 * (65536^2 - 1) / 12)
double irwin_hall_sd() {
    return std::sqrt((65536.0 * 65536.0 - 1.0) / 3.0);
}

// FNV-1a of a tensor name: each tensor has its own stream, whatever the order of tensors
uint64_t name_hash(const std::string & s) {
    uint64_t h = 0xCBF29CE484222325ull;
    for (unsigned char c : s) {
        h = (h ^ c) * 0x100000001B3ull;
    }
    return h;
}

// The stream of one row: rows are independent, so threads and chunks do not change the values.
rng row_rng(uint64_t seed, uint64_t tensor_key, int64_t row) {
    return rng{ splitmix64_mix(splitmix64_mix(seed ^ tensor_key) + (uint64_t) row) };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary: byte tokens, merges learned from a small built-in text, then synthetic merges
// ---------------------------------------------------------------------------------------------

// Written for this project (no third-party text): common English words, punctuation and digits.
const char * k_bpe_text =
    "The small model reads a line of text and guesses the next word. It has seen many words "
    "before, and it knows that the word after \"the\" is often the name of a thing, and that a "
    "sentence ends with a point. When the model is new, its guesses are poor; it learns from the "
    "text it is given, one word at a time, and its weights change a little with every step. "
    "There is no magic in it: only numbers, added and multiplied, again and again, in the same "
    "order each time. People who build these models like to test them with simple sentences. "
    "The quick brown fox jumps over the lazy dog. A cat sat on the mat, and the dog did not "
    "mind. In the morning the sun was bright over the hills, and the river ran down to the sea. "
    "The children walked to the school by the old bridge, talking about the weather, the games "
    "they would play, and the stories they had read the night before. \"Where are you going?\" "
    "she asked. \"I'm going home,\" he said, \"and I'll be there by ten.\" Numbers matter too: "
    "one, two, three, 42, 1024, 2024 and 3.14 are all tokens that the model must learn to "
    "write.\nThis is the end of the text, but not the end of the story.\n";

bool is_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(unsigned char c)  { return c >= '0' && c <= '9'; }
bool is_space(unsigned char c)  { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// GPT-2's pre-tokenizer, for ASCII text:
// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
std::vector<std::string> pre_tokenize(const std::string & text) {
    std::vector<std::string> words;
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        if (text[i] == '\'') {
            bool matched = false;
            for (const char * c : { "'s", "'t", "'re", "'ve", "'m", "'ll", "'d" }) {
                if (text.compare(i, strlen(c), c) == 0) {
                    words.push_back(c);
                    i += strlen(c);
                    matched = true;
                    break;
                }
            }
            if (matched) {
                continue;
            }
        }
        if (text[j] == ' ' && j + 1 < n && !is_space(text[j + 1])) {
            j++;  // an optional leading space
        }
        auto run = [&](bool (*cls)(unsigned char)) { while (j < n && cls(text[j])) { j++; } };
        const unsigned char c = text[j];
        if (is_letter(c)) {
            run(is_letter);
        } else if (is_digit(c)) {
            run(is_digit);
        } else if (!is_space(c)) {
            run([](unsigned char x) { return !is_space(x) && !is_letter(x) && !is_digit(x); });
        } else {
            // whitespace: all of it, except a last space that goes with the next word
            run(is_space);
            if (j < n && j - i > 1 && text[j - 1] == ' ') {
                j--;
            }
        }
        words.push_back(text.substr(i, j - i));
        i = j;
    }
    return words;
}

struct vocab {
    std::vector<std::string> tokens;  // byte-to-unicode form
    std::vector<int32_t>     types;   // 1 normal, 3 control
    std::vector<std::string> merges;  // "left right", merge i makes token 256 + i
    std::unordered_map<std::string, int32_t> ids;

    bool add_merge(int32_t a, int32_t b) {
        std::string s = tokens[a] + tokens[b];
        if (ids.count(s)) {
            return false;
        }
        ids.emplace(s, (int32_t) tokens.size());
        merges.push_back(tokens[a] + " " + tokens[b]);
        tokens.push_back(std::move(s));
        types.push_back(1);
        return true;
    }
};

// Byte tokens in GPT-2's order, n_vocab - 257 merges, <|endoftext|> last.
vocab build_vocab(int32_t n_vocab) {
    vocab v;
    const size_t n_merges = (size_t) n_vocab - 257;
    v.tokens.reserve(n_vocab);
    for (int32_t i = 0; i < 256; i++) {
        const uint8_t b = gpt2_byte_of_token(i);
        v.tokens.push_back(gpt2_bytes_to_unicode(&b, 1));
        v.types.push_back(1);
        v.ids.emplace(v.tokens.back(), i);
    }

    // phase 1: byte-pair encoding of the built-in text, most frequent pair first (ties: the
    // smaller pair of ids), as long as a pair occurs at least twice
    std::map<std::vector<int32_t>, int> words;  // word as token ids -> count
    for (const std::string & w : pre_tokenize(k_bpe_text)) {
        std::vector<int32_t> ids;
        for (unsigned char c : w) {
            ids.push_back(gpt2_token_of_byte(c));
        }
        words[ids]++;
    }
    std::vector<std::pair<std::vector<int32_t>, int>> corpus(words.begin(), words.end());
    std::map<std::pair<int32_t, int32_t>, bool> banned;  // pairs whose string is already a token
    while (v.merges.size() < n_merges) {
        std::map<std::pair<int32_t, int32_t>, int> counts;
        for (const auto & [w, count] : corpus) {
            for (size_t k = 0; k + 1 < w.size(); k++) {
                counts[{ w[k], w[k + 1] }] += count;
            }
        }
        std::pair<int32_t, int32_t> best{ -1, -1 };
        int best_count = 1;
        for (const auto & [pair, count] : counts) {  // in pair order: ties keep the smaller pair
            if (count > best_count && !banned.count(pair)) {
                best = pair;
                best_count = count;
            }
        }
        if (best.first < 0) {
            break;
        }
        if (!v.add_merge(best.first, best.second)) {
            banned[best] = true;
            continue;
        }
        const int32_t id = (int32_t) v.tokens.size() - 1;
        for (auto & [w, count] : corpus) {
            std::vector<int32_t> out;
            for (size_t k = 0; k < w.size(); k++) {
                if (k + 1 < w.size() && w[k] == best.first && w[k + 1] == best.second) {
                    out.push_back(id);
                    k++;
                } else {
                    out.push_back(w[k]);
                }
            }
            w = std::move(out);
        }
    }

    // phase 2: grow words letter by letter, breadth first: "Ġ", the letters, then the words of
    // phase 1, then each new token in turn, each extended by the 26 letters in order of English
    // frequency
    const char * k_letters = "etaoinshrdlcumwfgypbvkjxqz";
    auto word_like = [&](const std::string & t) {  // optional "Ġ", then ASCII letters only
        for (size_t k = t.compare(0, 2, "\xC4\xA0") == 0 ? 2 : 0; k < t.size(); k++) {
            if (!is_letter((unsigned char) t[k])) {
                return false;
            }
        }
        return true;
    };
    std::vector<int32_t> queue;
    queue.push_back(gpt2_token_of_byte(' '));
    for (const char * c = k_letters; *c; c++) {
        queue.push_back(gpt2_token_of_byte((uint8_t) *c));
    }
    for (size_t id = 256; id < v.tokens.size(); id++) {
        if (word_like(v.tokens[id])) {
            queue.push_back((int32_t) id);
        }
    }
    for (size_t q = 0; q < queue.size() && v.merges.size() < n_merges; q++) {
        for (const char * c = k_letters; *c && v.merges.size() < n_merges; c++) {
            if (v.add_merge(queue[q], gpt2_token_of_byte((uint8_t) *c))) {
                queue.push_back((int32_t) v.tokens.size() - 1);
            }
        }
    }

    v.tokens.push_back("<|endoftext|>");
    v.types.push_back(3);
    return v;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Random models
// ---------------------------------------------------------------------------------------------

extern "C" gpt2_random_model_params gpt2_random_model_default_params(void) {
    gpt2_random_model_params p;
    memset(&p, 0, sizeof(p));
    p.n_vocab     = 512;
    p.n_ctx       = 128;
    p.n_embd      = 64;
    p.n_head      = 4;
    p.n_layer     = 2;
    p.weight_type = GPT2_TYPE_F32;
    p.tied_output = 1;
    p.seed        = 42;
    p.scale       = 0.02f;
    return p;
}

extern "C" gpt2_status gpt2_write_random_model(const char * path, const gpt2_random_model_params * params) {
    static const char * func = "gpt2_write_random_model";
    return gpt2_guard(func, [&]() -> gpt2_status {
        // check arguments
        if (path == nullptr || path[0] == '\0') {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: path is NULL or empty", func);
        }
        if (params == nullptr) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: params is NULL", func);
        }
        const gpt2_random_model_params & p = *params;
        auto out_of_range = [&](const char * what, int64_t v, int64_t lo, int64_t hi) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: %s = %lld is out of range [%lld, %lld]", func,
                             what, (long long) v, (long long) lo, (long long) hi);
        };
        if (p.n_vocab < 257 || p.n_vocab > GPT2_MAX_VOCAB) return out_of_range("n_vocab", p.n_vocab, 257, GPT2_MAX_VOCAB);
        if (p.n_ctx   < 1   || p.n_ctx   > GPT2_MAX_CTX)   return out_of_range("n_ctx",   p.n_ctx,   1, GPT2_MAX_CTX);
        if (p.n_embd  < 1   || p.n_embd  > GPT2_MAX_EMBD)  return out_of_range("n_embd",  p.n_embd,  1, GPT2_MAX_EMBD);
        if (p.n_head  < 1   || p.n_head  > GPT2_MAX_HEAD)  return out_of_range("n_head",  p.n_head,  1, GPT2_MAX_HEAD);
        if (p.n_layer < 1   || p.n_layer > GPT2_MAX_LAYER) return out_of_range("n_layer", p.n_layer, 1, GPT2_MAX_LAYER);
        if (p.n_embd % p.n_head != 0) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_embd = %d is not a multiple of n_head = %d", func,
                             p.n_embd, p.n_head);
        }
        const gpt2_write_type * wt = gpt2_find_write_type(p.weight_type);
        if (wt == nullptr) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG,
                             "%s: weight_type = %d is not supported (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1)",
                             func, p.weight_type);
        }
        const ggml_type type = (ggml_type) wt->type;
        const int64_t blck = ggml_blck_size(type);
        if (p.n_embd % blck != 0) {
            // n_ff = 4 n_embd, the other row length, is then a multiple too
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_embd = %d is not a multiple of %lld, the block size of %s",
                             func, p.n_embd, (long long) blck, ggml_type_name(type));
        }
        if (p.tied_output > 1) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: tied_output = %d is not 0 or 1", func, p.tied_output);
        }
        if (!std::isfinite(p.scale) || p.scale > 100.0f) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: scale = %g is not finite or is above 100", func, (double) p.scale);
        }
        const float scale = p.scale > 0.0f ? p.scale : 0.02f;

        const int64_t n_vocab = p.n_vocab;
        const int64_t n_ctx   = p.n_ctx;
        const int64_t n_embd  = p.n_embd;
        const int64_t n_ff    = 4 * n_embd;

        // vocabulary
        const vocab v = build_vocab(p.n_vocab);
        if ((int64_t) v.tokens.size() != n_vocab) {
            return gpt2_fail(GPT2_ERR_INTERNAL, "%s: built %zu tokens instead of %d", func, v.tokens.size(), p.n_vocab);
        }

        // metadata: the keys of convert_hf_to_gguf.py for GPT2LMHeadModel, in its order
        gguf_context_ptr meta{ gguf_init_empty() };
        gguf_context * m = meta.get();
        gguf_set_val_str(m, GPT2_KV_ARCHITECTURE, GPT2_ARCH_NAME);
        gguf_set_val_str(m, GPT2_KV_NAME, "gpt2-random");
        gguf_set_val_u32(m, GPT2_KV_BLOCK_COUNT, (uint32_t) p.n_layer);
        gguf_set_val_u32(m, GPT2_KV_CONTEXT_LENGTH, (uint32_t) p.n_ctx);
        gguf_set_val_u32(m, GPT2_KV_EMBD_LENGTH, (uint32_t) n_embd);
        gguf_set_val_u32(m, GPT2_KV_FF_LENGTH, (uint32_t) n_ff);
        gguf_set_val_u32(m, GPT2_KV_HEAD_COUNT, (uint32_t) p.n_head);
        gguf_set_val_f32(m, GPT2_KV_NORM_EPS, 1e-5f);
        gguf_set_val_u32(m, GPT2_KV_FILE_TYPE, wt->ftype);
        gguf_set_val_u32(m, "general.quantization_version", GGML_QNT_VERSION);
        gguf_set_val_str(m, GPT2_KV_TOK_MODEL, "gpt2");
        gguf_set_val_str(m, GPT2_KV_TOK_PRE, "gpt-2");
        {
            std::vector<const char *> strs;
            for (const std::string & s : v.tokens) {
                strs.push_back(s.c_str());
            }
            gguf_set_arr_str(m, GPT2_KV_TOK_TOKENS, strs.data(), strs.size());
            gguf_set_arr_data(m, GPT2_KV_TOK_TYPES, GGUF_TYPE_INT32, v.types.data(), v.types.size());
            strs.clear();
            for (const std::string & s : v.merges) {
                strs.push_back(s.c_str());
            }
            gguf_set_arr_str(m, GPT2_KV_TOK_MERGES, strs.data(), strs.size());
        }
        gguf_set_val_u32(m, GPT2_KV_TOK_BOS, (uint32_t) (n_vocab - 1));
        gguf_set_val_u32(m, GPT2_KV_TOK_EOS, (uint32_t) (n_vocab - 1));

        // tensors, and how each is drawn
        enum init_kind { INIT_NORMAL, INIT_NORM_WEIGHT };
        std::vector<gpt2_out_tensor> tensors;
        std::vector<init_kind>  kinds;
        auto add = [&](const std::string & name, int64_t ne0, int64_t ne1, init_kind kind) {
            gpt2_out_tensor t{ name, { ne0, ne1, 1, 1 }, GGML_TYPE_F32 };
            t.type = gpt2_is_weight_matrix(name.c_str(), t.ne) ? type : GGML_TYPE_F32;
            tensors.push_back(t);
            kinds.push_back(kind);
        };
        auto layer_name = [](const char * fmt, int il) {
            char buf[GGML_MAX_NAME];
            snprintf(buf, sizeof(buf), fmt, il);
            return std::string(buf);
        };
        add(GPT2_T_TOKEN_EMBD, n_embd, n_vocab, INIT_NORMAL);  // [n_embd, n_vocab]
        add(GPT2_T_POS_EMBD,   n_embd, n_ctx,   INIT_NORMAL);  // [n_embd, n_ctx]
        for (int il = 0; il < p.n_layer; il++) {
            add(layer_name(GPT2_T_ATTN_NORM,   il), n_embd, 1,          INIT_NORM_WEIGHT);
            add(layer_name(GPT2_T_ATTN_NORM_B, il), n_embd, 1,          INIT_NORMAL);
            add(layer_name(GPT2_T_ATTN_QKV,    il), n_embd, 3 * n_embd, INIT_NORMAL);  // [n_embd, 3*n_embd]
            add(layer_name(GPT2_T_ATTN_QKV_B,  il), 3 * n_embd, 1,      INIT_NORMAL);
            add(layer_name(GPT2_T_ATTN_OUT,    il), n_embd, n_embd,     INIT_NORMAL);  // [n_embd, n_embd]
            add(layer_name(GPT2_T_ATTN_OUT_B,  il), n_embd, 1,          INIT_NORMAL);
            add(layer_name(GPT2_T_FFN_NORM,    il), n_embd, 1,          INIT_NORM_WEIGHT);
            add(layer_name(GPT2_T_FFN_NORM_B,  il), n_embd, 1,          INIT_NORMAL);
            add(layer_name(GPT2_T_FFN_UP,      il), n_embd, n_ff,       INIT_NORMAL);  // [n_embd, n_ff]
            add(layer_name(GPT2_T_FFN_UP_B,    il), n_ff, 1,            INIT_NORMAL);
            add(layer_name(GPT2_T_FFN_DOWN,    il), n_ff, n_embd,       INIT_NORMAL);  // [n_ff, n_embd]
            add(layer_name(GPT2_T_FFN_DOWN_B,  il), n_embd, 1,          INIT_NORMAL);
        }
        add(GPT2_T_OUTPUT_NORM,   n_embd, 1, INIT_NORM_WEIGHT);
        add(GPT2_T_OUTPUT_NORM_B, n_embd, 1, INIT_NORMAL);
        if (!p.tied_output) {
            add(GPT2_T_OUTPUT, n_embd, n_vocab, INIT_NORMAL);  // [n_embd, n_vocab]
        }

        // weights: N(0, scale^2); LayerNorm weights 1 + N(0, 0.1^2). Each row has its own
        // stream (seed, tensor name, row), so threads and chunks do not change the values.
        const double k_normal = (double) scale / irwin_hall_sd();
        const double k_norm_w = 0.1 / irwin_hall_sd();
        const int n_threads = gpt2_write_default_threads();
        std::vector<float> f32;
        auto produce = [&](size_t i, int64_t r0, int64_t n, uint8_t * dst) -> gpt2_status {
            const gpt2_out_tensor & t = tensors[i];
            const int64_t ne0 = t.ne[0];
            const uint64_t key = name_hash(t.name);
            const init_kind kind = kinds[i];
            f32.resize((size_t) (n * ne0));
            gpt2_parallel_rows(n_threads, n, [&](int64_t a, int64_t b) {
                for (int64_t r = a; r < b; r++) {
                    rng g = row_rng(p.seed, key, r0 + r);
                    float * row = f32.data() + r * ne0;
                    if (kind == INIT_NORMAL) {
                        for (int64_t c = 0; c < ne0; c++) {
                            row[c] = (float) (g.centred() * k_normal);
                        }
                    } else {
                        for (int64_t c = 0; c < ne0; c++) {
                            const float d = (float) (g.centred() * k_norm_w);  // rounded before the add
                            row[c] = 1.0f + d;
                        }
                    }
                }
                ggml_quantize_chunk(t.type, f32.data(), dst, a * ne0, b - a, ne0, nullptr);
            });
            return GPT2_OK;
        };

        ggml_quantize_init(type);
        return gpt2_write_gguf(func, path, m, tensors, produce);
    });
}
