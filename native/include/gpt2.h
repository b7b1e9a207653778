// gpt2.h: the C API of libgpt2, a GPT-2 inference engine on ggml: inference only. Training's loss and
// gradient, also in libgpt2, are declared in gpt2-train.h; random models for fixtures are written by
// the tools library (native/tools/lib/gpt2-tools.h), which libgpt2 does not contain.
//
// Conventions
// - Opaque handles; every struct passed by pointer has a gpt2_*_default_params() that fills it.
// - Functions that can fail return a gpt2_status (0 = GPT2_OK) or NULL. The reason is then in
//   gpt2_last_error(), a thread-local message that stays valid until the next failing call on
//   the same thread.
// - Every argument is checked here, before ggml sees it: misuse returns GPT2_ERR_INVALID_ARG,
//   it never reaches GGML_ASSERT (which would abort the process).
// - Ownership is written at each declaration: "owned: free with X", "borrowed: valid until Y".
// - Enums and structs are only ever appended to; gpt2_api_version() changes when they are.
//
// Threads
// - A gpt2_model is immutable after gpt2_model_load and may be used by many threads at once
//   (creating sessions, reading hyper-parameters and the vocabulary).
// - A gpt2_session is used by one thread at a time; sessions of one model are independent.
// - A session keeps its model alive: gpt2_model_free only drops the caller's reference, the
//   weights are released when the last session of the model is freed.
// - CPU threads: an n_threads above the CPUs this process may run on (its affinity mask) is capped
//   to them, since more only wait on each other at ggml's barriers. Every CPU computation of the
//   process (gpt2_eval, gpt2_model_unembed, the gradient of gpt2-train.h) first takes its threads
//   from one budget of that many CPUs as a fair share: with k computations running or waiting on
//   C CPUs, each gets at most max(1, C / k) of the threads it asked for, and when no CPU is free it
//   waits, in arrival order. Many sessions evaluating at once then run side by side on one thread
//   each instead of thrashing. A computation asking for more than one thread also leaves the CPUs
//   that other processes keep busy (Linux: the runnable tasks of /proc/loadavg): at most
//   max(1, free CPUs - other runnable tasks); GPT2_CPU_ADAPT=0 in the environment turns that off.
//   The thread count never changes an eval's result (test_threads); the gradients of gpt2-train.h
//   depend on it, so they take exactly the threads asked for, waiting for them (no share, no adapting).

#ifndef GPT2_H
#define GPT2_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && !defined(GPT2_STATIC)
#    ifdef GPT2_BUILD
#        define GPT2_API __declspec(dllexport)
#    else
#        define GPT2_API __declspec(dllimport)
#    endif
#elif defined(__GNUC__)
#    define GPT2_API __attribute__((visibility("default")))
#else
#    define GPT2_API
#endif

// API version: major * 10000 + minor * 100 + patch. Bindings check it at load.
#define GPT2_API_VERSION 107

// ---------------------------------------------------------------------------------------------
// Status codes
// ---------------------------------------------------------------------------------------------

typedef int32_t gpt2_status;

#define GPT2_OK                0   // success
#define GPT2_ERR_INVALID_ARG  -1   // an argument is out of range, NULL where it may not be, ...
#define GPT2_ERR_IO           -2   // the file cannot be opened, read or written
#define GPT2_ERR_FORMAT       -3   // not a GGUF file, truncated, corrupt, or not a GPT-2 model
#define GPT2_ERR_UNSUPPORTED  -4   // valid input this build cannot handle (tensor type, backend)
#define GPT2_ERR_OUT_OF_MEMORY -5  // an allocation failed (host or device)
#define GPT2_ERR_KV_FULL      -6   // the session's KV cache has no free cell for the batch
#define GPT2_ERR_BACKEND      -7   // the compute backend failed
#define GPT2_ERR_INTERNAL     -8   // a bug: please report the message

// The message of the last failing call on this thread ("" if none).
// Borrowed: valid until the next failing gpt2_* call on this thread.
GPT2_API const char * gpt2_last_error(void);

// The status of the last failing call on this thread (GPT2_OK if none), for the functions that
// report failure as NULL (gpt2_model_load, gpt2_session_new).
GPT2_API gpt2_status gpt2_last_status(void);

// A short constant name for a status code ("GPT2_ERR_FORMAT"); never NULL.
GPT2_API const char * gpt2_status_name(gpt2_status status);

// GPT2_API_VERSION of the library actually loaded.
GPT2_API int32_t gpt2_api_version(void);

// ---------------------------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------------------------

enum gpt2_log_level {
    GPT2_LOG_DEBUG = 1,
    GPT2_LOG_INFO  = 2,
    GPT2_LOG_WARN  = 3,
    GPT2_LOG_ERROR = 4,
};

// text is one message, without a trailing newline; borrowed for the duration of the call.
// The callback may be called from any thread, including ggml's worker threads.
typedef void (*gpt2_log_callback)(int32_t level, const char * text, void * user_data);

// Routes libgpt2's and ggml's log to callback (NULL: back to stderr). Messages below
// min_level are dropped. Process-wide; not synchronised with calls in flight on other threads.
GPT2_API void gpt2_log_set(gpt2_log_callback callback, void * user_data, int32_t min_level);

// ---------------------------------------------------------------------------------------------
// Backends: what this library computes with on this machine
// ---------------------------------------------------------------------------------------------
//
// A release build (CMake presets release, release-cuda) keeps ggml's backends in modules beside
// libgpt2: the CPU backend once per instruction set (libggml-cpu-x64.so, -sse42, -haswell,
// -skylakex, -zen4, ...; arm64: -armv8.0_1, ...) and, in the CUDA build, libggml-cuda.so. On first
// use (a model load, or the two functions below) libgpt2 loads from its own folder the CPU variant
// with the best score on this CPU, or the one env GPT2_CPU_VARIANT names (e.g. GPT2_CPU_VARIANT=x64;
// gpt2_model_load then fails with GPT2_ERR_UNSUPPORTED if there is no such variant or this CPU
// cannot run it), then each GPU module; a GPU module that cannot load or finds no device is said
// in one warning, and the CPU computes. Other builds have one CPU backend (and CUDA or Metal)
// compiled in.

// The CPU variant in use ("haswell", "x64", ...): the name of the module loaded; "" when the CPU
// backend is compiled in, or when the backends could not be loaded (gpt2_system_info says why).
// Borrowed: static, valid while the library is loaded.
GPT2_API const char * gpt2_cpu_variant(void);

// A description of the backends, one fact a line ("key: value"): the backend folder, the CPU
// variant picked and the score of each, each GPU module and why it is unused, the devices, and the
// CPU backend's instruction sets; a line "error: ..." when the loading failed.
// Borrowed: static, valid while the library is loaded.
GPT2_API const char * gpt2_system_info(void);

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

// Tensor types of weights and KV cache. Values equal ggml's enum ggml_type.
enum gpt2_type {
    GPT2_TYPE_F32  = 0,
    GPT2_TYPE_F16  = 1,
    GPT2_TYPE_Q4_0 = 2,
    GPT2_TYPE_Q4_1 = 3,
    GPT2_TYPE_Q5_0 = 6,
    GPT2_TYPE_Q5_1 = 7,
    GPT2_TYPE_Q8_0 = 8,
    GPT2_TYPE_BF16 = 30,
};

enum gpt2_backend {
    GPT2_BACKEND_AUTO  = 0,  // a GPU if this build and the machine have one, else the CPU
    GPT2_BACKEND_CPU   = 1,
    GPT2_BACKEND_CUDA  = 2,
    GPT2_BACKEND_METAL = 3,
};

enum gpt2_gelu {
    GPT2_GELU_EXACT = 0,  // tanh GELU in F32, as Hugging Face's "gelu_new"
    GPT2_GELU_FAST  = 1,  // ggml_gelu: on the CPU an fp16 lookup table (as llama.cpp)
};

// The matrix products of a decode step (1 to 64 columns: a token for each of 1 .. 64 sequences).
enum gpt2_matmul {
    GPT2_MATMUL_GGML    = 0,  // ggml_mul_mat everywhere, as llama.cpp computes
    GPT2_MATMUL_LIBGPT2 = 1,  // libgpt2's own kernels for F16, Q8_0 and Q4_0 weights times 1 .. 64
                              //   columns (each weight block read once for all columns; F16 weights
                              //   meet the F32 activations unrounded, Q8_0/Q4_0 weights activations
                              //   quantized to Q8_0 as ggml's); ggml_mul_mat for the other products
                              //   (prompts of more than 64 tokens, F32 and other weight types); and the
                              //   bias, GELU (exact) and residual add after a product, and LayerNorm,
                              //   each fused into one graph node
    GPT2_MATMUL_AUTO    = 2,  // LIBGPT2 on the CPU backend, GGML elsewhere (the default: on the CPU measured,
                              //   libgpt2's path decodes Q8_0 1.3x as fast and F16 1.1x, docs/BENCHMARKS.md)
};

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

typedef struct gpt2_model gpt2_model;

typedef struct gpt2_model_params {
    int32_t n_threads;   // CPU threads for compute, at most 512; <= 0: the number of physical cores;
                         // capped to the CPUs this process may run on (see Threads above)
    int32_t backend;     // enum gpt2_backend
    uint8_t use_mmap;    // CPU backend: map the weights from the file instead of copying them; the
                         // file must then stay as it is while the model is loaded (a mapped file
                         // truncated under a process makes it crash, as with any mmap)
    uint8_t gelu;        // enum gpt2_gelu, the GELU of sessions made from this model
    uint8_t use_extra_bufts;  // CPU backend: 1 places each matrix that one of ggml's extra CPU buffer
                         // types computes (repacked layouts such as Q4_0 8x8 on AVX2, AMX tiles) in it,
                         // as llama.cpp's loader does: a copy, repacked at load; 0 keeps ggml's plain
                         // layout for every weight (llama.cpp's --no-repack)
} gpt2_model_params;

// Defaults: n_threads 0, backend AUTO, use_mmap 1, gelu EXACT, use_extra_bufts 1.
GPT2_API gpt2_model_params gpt2_model_default_params(void);

// Loads a GPT-2 GGUF file (llama.cpp's tensor names and keys).
// Returns NULL on failure; gpt2_last_error() names the file and the fault.
// Owned: free with gpt2_model_free.
GPT2_API gpt2_model * gpt2_model_load(const char * path, const gpt2_model_params * params);

// Drops the caller's reference; the weights go when the last session is freed too. NULL is a no-op.
GPT2_API void gpt2_model_free(gpt2_model * model);

// Hyper-parameters (model must not be NULL).
GPT2_API int32_t gpt2_model_n_vocab(const gpt2_model * model);
GPT2_API int32_t gpt2_model_n_ctx_train(const gpt2_model * model);  // learned positions
GPT2_API int32_t gpt2_model_n_embd(const gpt2_model * model);
GPT2_API int32_t gpt2_model_n_head(const gpt2_model * model);
GPT2_API int32_t gpt2_model_n_layer(const gpt2_model * model);
GPT2_API int32_t gpt2_model_n_ff(const gpt2_model * model);
GPT2_API float   gpt2_model_norm_eps(const gpt2_model * model);
GPT2_API int32_t gpt2_model_weight_type(const gpt2_model * model);  // enum gpt2_type of blk.0.attn_qkv
GPT2_API int32_t gpt2_model_output_tied(const gpt2_model * model);  // 1: no output.weight, wte is used
GPT2_API int64_t gpt2_model_n_params(const gpt2_model * model);
GPT2_API int64_t gpt2_model_size_bytes(const gpt2_model * model);   // bytes of all weight tensors
GPT2_API int32_t gpt2_model_n_extra_matrices(const gpt2_model * model);  // placed in an extra CPU buffer type
// Name of the backend the model runs on ("CPU", "CUDA0", ...). Borrowed: valid while model is.
GPT2_API const char * gpt2_model_backend_name(const gpt2_model * model);
// general.name, or "" if absent. Borrowed: valid while model is.
GPT2_API const char * gpt2_model_name(const gpt2_model * model);

// Rows first .. first+n-1 of the token embedding matrix (wte), dequantized to F32: writes
// n * n_embd floats to dst. For embedding geometry (nearest tokens, a - b + c).
GPT2_API gpt2_status gpt2_model_token_embeddings(const gpt2_model * model, int32_t first, int32_t n, float * dst);

// Logits of hidden states: out[i] = lm_head(ln_f(hidden[i])) with apply_final_norm, else
// lm_head(hidden[i]). hidden is [n][n_embd], out [n][n_vocab]. Applied to the hidden state after
// each block, this is the logit lens. Computed on the model's backend with the model's threads, in
// temporary memory; safe from any thread.
GPT2_API gpt2_status gpt2_model_unembed(const gpt2_model * model, const float * hidden, int32_t n,
                                        uint8_t apply_final_norm, float * out);

// ---------------------------------------------------------------------------------------------
// Vocabulary (tokenizer.ggml.*), enough to build GPT-2's byte-level BPE tokenizer
// ---------------------------------------------------------------------------------------------

// The token's text as stored in the file: GPT-2's byte-to-unicode form ("Ġthe"), UTF-8.
// *len receives its length in bytes. Returns NULL (and *len = 0) if id is out of range.
// Borrowed: valid while model is.
GPT2_API const char * gpt2_token_text(const gpt2_model * model, int32_t id, int32_t * len);

// The raw bytes the token stands for (" the"), decoded from the byte-to-unicode form; control
// tokens (<|endoftext|>) give their text. Writes at most cap bytes to buf and returns the
// length the token needs (call with cap 0 to ask), or GPT2_ERR_INVALID_ARG.
GPT2_API int32_t gpt2_token_bytes(const gpt2_model * model, int32_t id, uint8_t * buf, int32_t cap);

// tokenizer.ggml.token_type of the token (1 normal, 3 control, ...), or GPT2_ERR_INVALID_ARG.
GPT2_API int32_t gpt2_token_type(const gpt2_model * model, int32_t id);

// BPE merges in rank order, each "left right" in byte-to-unicode form.
GPT2_API int32_t gpt2_n_merges(const gpt2_model * model);
// Borrowed: valid while model is. NULL (and *len = 0) if i is out of range.
GPT2_API const char * gpt2_merge(const gpt2_model * model, int32_t i, int32_t * len);

// Special tokens; -1 where the file names none.
GPT2_API int32_t gpt2_token_bos(const gpt2_model * model);
GPT2_API int32_t gpt2_token_eos(const gpt2_model * model);

// ---------------------------------------------------------------------------------------------
// Sessions: a KV cache shared by several sequences (beams, parallel prompts)
// ---------------------------------------------------------------------------------------------
//
// The KV cache is a pool of n_cells cells; each cell holds the keys and values of one token at
// one position, and belongs to one or more sequences. gpt2_seq_copy shares cells rather than
// copying them, so beams forked from one prompt cost no memory until they diverge.
// Sequence ids are 0 .. n_seq_max-1. A sequence's positions are 0 .. length-1; evaluation only
// appends, so positions are implicit.

typedef struct gpt2_session gpt2_session;

typedef struct gpt2_session_params {
    int32_t n_cells;     // KV cells shared by all sequences, at most 2^20; <= 0: the model's n_ctx_train
    int32_t n_seq_max;   // sequences, ids 0 .. n_seq_max-1, at most 256; default 1
    int32_t n_batch;     // most tokens in one gpt2_eval, at most n_cells; <= 0: min(n_cells, 512)
    int32_t n_threads;   // at most 512; <= 0: the model's n_threads; capped to the CPUs (see Threads)
    int32_t kv_type;     // enum gpt2_type, F32 or F16; default F32
    uint8_t capture_attention;  // keep attention probabilities of the last eval (see below)
    uint8_t capture_hidden;     // keep hidden states of the last eval (see below)
    uint8_t flash_attn;         // 1: fused attention (ggml_flash_attn_ext), which keeps V untransposed and
                                //   reads, for the tokens of each sequence in a batch, only the span of cells
                                //   holding that sequence's cells (with n_seq_max > 1 a sequence's new cells
                                //   are taken from its share of the cache, n_cells / n_seq_max cells from
                                //   seq_id * that on, so that they stay together); not with capture_attention;
                                //   CPU backend only (GPT2_ERR_UNSUPPORTED elsewhere)
    uint8_t matmul;             // enum gpt2_matmul: whose kernels compute the products of 1 .. 64 columns;
                                //   GPT2_MATMUL_LIBGPT2 on the CPU backend only (GPT2_ERR_UNSUPPORTED elsewhere);
                                //   gpt2_session_get_params gives AUTO resolved
} gpt2_session_params;

// Defaults: n_cells 0, n_seq_max 1, n_batch 0, n_threads 0, kv_type F32, no capture, no flash attention,
// matmul AUTO.
GPT2_API gpt2_session_params gpt2_session_default_params(void);

// Returns NULL on failure (gpt2_last_error()). Owned: free with gpt2_session_free.
GPT2_API gpt2_session * gpt2_session_new(gpt2_model * model, const gpt2_session_params * params);

// NULL is a no-op.
GPT2_API void gpt2_session_free(gpt2_session * session);

// The parameters in force (defaults resolved, n_threads capped).
GPT2_API gpt2_session_params gpt2_session_get_params(const gpt2_session * session);

// Threads for the following evals (<= 0: the model's). Returns GPT2_OK or GPT2_ERR_INVALID_ARG.
GPT2_API gpt2_status gpt2_session_set_threads(gpt2_session * session, int32_t n_threads);

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

// Tokens to append, each to one sequence, evaluated in one graph. Within a sequence, tokens
// are appended in batch order after the tokens it already has.
typedef struct gpt2_batch {
    int32_t         n_tokens;  // 1 .. n_batch
    const int32_t * tokens;    // [n_tokens] token ids, 0 .. n_vocab-1
    const int32_t * seq_ids;   // [n_tokens] sequence of each token; NULL: all to sequence 0
    const int8_t  * logits;    // [n_tokens] 1: compute logits at this token; NULL: the last
                               //   token of each sequence in the batch
} gpt2_batch;

// Evaluates the batch and appends its keys and values to the sequences. The outputs of the
// previous eval (logits, captures) stay readable until an eval succeeds.
// Returns GPT2_OK; or GPT2_ERR_INVALID_ARG (bad token id, sequence id, n_tokens, or a position
// past n_ctx_train), GPT2_ERR_KV_FULL (no free cells: nothing was appended), GPT2_ERR_BACKEND.
// On any error the session is as before the call.
GPT2_API gpt2_status gpt2_eval(gpt2_session * session, const gpt2_batch * batch);

// Outputs of the last successful eval: one row of logits per token flagged in batch.logits, in
// batch order.
GPT2_API int32_t gpt2_n_outputs(const gpt2_session * session);

// Logits of the last eval, [n_outputs][n_vocab] row-major, or NULL if there are none.
// Borrowed: valid until the next gpt2_eval on this session or gpt2_session_free.
GPT2_API const float * gpt2_get_logits(const gpt2_session * session);

// Index in the batch of the token behind output row i, or -1 if i is out of range.
GPT2_API int32_t gpt2_output_token_index(const gpt2_session * session, int32_t i);

// ---------------------------------------------------------------------------------------------
// Sequences
// ---------------------------------------------------------------------------------------------

// Number of tokens in the sequence (its next position), or GPT2_ERR_INVALID_ARG.
GPT2_API int32_t gpt2_seq_length(const gpt2_session * session, int32_t seq_id);

// Makes dst a copy of src (dst's previous content is dropped). Cells are shared, not copied.
GPT2_API gpt2_status gpt2_seq_copy(gpt2_session * session, int32_t src, int32_t dst);

// Empties the sequence; seq_id -1 empties all sequences.
GPT2_API gpt2_status gpt2_seq_clear(gpt2_session * session, int32_t seq_id);

// Keeps positions 0 .. n_keep-1 of the sequence and drops the rest (0 <= n_keep <= length).
GPT2_API gpt2_status gpt2_seq_truncate(gpt2_session * session, int32_t seq_id, int32_t n_keep);

// Cells in use (by at least one sequence); the free ones are n_cells minus these.
GPT2_API int32_t gpt2_kv_used_cells(const gpt2_session * session);

// ---------------------------------------------------------------------------------------------
// Captures (off by default; free when off: the graph has no extra node)
// ---------------------------------------------------------------------------------------------
//
// Attention of the last eval, when the session was made with capture_attention:
// probabilities [n_head][n_tokens][n_keys] for layer il, where query q is batch token q and key k
// is position k of q's sequence; n_keys = 1 + the largest position in the batch. Keys a query
// cannot see (later positions) are 0. Writes n_head * n_tokens * n_keys floats to dst, which
// must hold cap floats. Returns the number of floats needed (call with dst NULL to ask), or a
// negative status (GPT2_ERR_INVALID_ARG if capture is off, il is out of range, or cap is short).
GPT2_API int64_t gpt2_get_attention(const gpt2_session * session, int32_t il, float * dst, int64_t cap);

// n_keys of the last eval's attention capture (see above), or GPT2_ERR_INVALID_ARG.
GPT2_API int32_t gpt2_attention_n_keys(const gpt2_session * session);

// Hidden states of the last eval, when the session was made with capture_hidden:
// [n_tokens][n_embd] at point ih, where ih = 0 is the input embeddings (wte + wpe),
// ih = 1 .. n_layer the output of block ih, and ih = n_layer + 1 the output of the final
// LayerNorm (ln_f). Same return convention as gpt2_get_attention.
GPT2_API int64_t gpt2_get_hidden(const gpt2_session * session, int32_t ih, float * dst, int64_t cap);

// The attention heads' outputs of the last eval, when the session was made with capture_hidden:
// [n_tokens][n_embd] for block il (0 .. n_layer-1), the heads side by side (head h in columns
// h * n_embd/n_head ..), before c_proj: HF's attn_output after merging the heads. Same return
// convention as gpt2_get_attention.
GPT2_API int64_t gpt2_get_head_outputs(const gpt2_session * session, int32_t il, float * dst, int64_t cap);

// ---------------------------------------------------------------------------------------------
// Interventions: ablation and activation patching
// ---------------------------------------------------------------------------------------------
//
// An intervention rewrites an activation of the following evals of a session, at every token of
// the batch whose position in its sequence is pos (-1: every token): activation = scale *
// activation + values. Zero-ablating head h of block l: { GPT2_SITE_HEAD, l, h, -1, 0, NULL }; mean
// ablation: values = the head's mean output (from gpt2_get_head_outputs over some text); patching
// from another prompt: scale 0, values = that run's activation at the same site and position
// (gpt2_get_hidden, gpt2_get_head_outputs). Several on one site and token apply in list order.
// Captures show the activations after the interventions.

enum gpt2_site {
    GPT2_SITE_RESIDUAL = 0,  // the residual stream after point `layer` of gpt2_get_hidden: 0 the
                             // embeddings (block 0's input), l the output of block l (1..n_layer);
                             // n_embd values
    GPT2_SITE_HEAD     = 1,  // the output of head `head` of block `layer` (0..n_layer-1), before
                             // c_proj (gpt2_get_head_outputs); n_embd / n_head values
};

typedef struct gpt2_intervention {
    int32_t       site;    // enum gpt2_site
    int32_t       layer;   // see gpt2_site
    int32_t       head;    // GPT2_SITE_HEAD: 0..n_head-1; GPT2_SITE_RESIDUAL: -1
    int32_t       pos;     // the position in the sequence, >= 0; -1: every position
    float         scale;   // finite
    const float * values;  // the values added (see gpt2_site for how many; finite), or NULL for none
} gpt2_intervention;

// The most interventions a session holds.
#define GPT2_MAX_INTERVENTIONS 4096

// Sets the interventions of the session's following evals, replacing any before; n = 0 clears them.
// Borrowed: list and values are copied before it returns. Returns GPT2_OK; GPT2_ERR_INVALID_ARG
// (nothing changed, gpt2_last_error names the entry and the field) for a NULL session, n out of
// [0, GPT2_MAX_INTERVENTIONS], a NULL list with n > 0, an unknown site, a layer, head or pos out of
// range, or a scale or value that is not finite.
GPT2_API gpt2_status gpt2_session_set_interventions(gpt2_session * session, const gpt2_intervention * list, int32_t n);

// ---------------------------------------------------------------------------------------------
// LoRA adapters
// ---------------------------------------------------------------------------------------------
//
// A LoRA adapter (Hu et al. 2021) changes matrices of a model without rewriting them: W becomes
// W + scale * B A, with A (rank x in) and B (out x rank) small, and the session computes
// x @ W + scale * (x @ A) @ B (+ the bias) in every eval, the model's weights untouched. The file is a
// GGUF in llama.cpp's layout (what `gpt2 finetune --lora-rank` writes, and llama.cpp loads):
// general.type "adapter", adapter.type "lora", general.architecture "gpt2", adapter.lora.alpha
// (optional), and for each adapted matrix <name> (blk.N.attn_qkv.weight, blk.N.attn_output.weight,
// blk.N.ffn_up.weight or blk.N.ffn_down.weight) the tensors <name>.lora_a, ggml [in, rank], and
// <name>.lora_b, [rank, out], in F32, F16 or BF16. As in llama.cpp, scale = s * alpha / rank, with s
// the scale a session gives the adapter and rank B's ne0; scale = s when the file has no alpha.

typedef struct gpt2_adapter gpt2_adapter;

// Loads an adapter for model, checking every tensor against the model's shape; its weights are
// copied to the model's device. Returns NULL on failure: GPT2_ERR_INVALID_ARG (NULL argument),
// GPT2_ERR_IO, GPT2_ERR_FORMAT (not an adapter, another architecture, a tensor that is not a pair
// of one of the model's block matrices, a wrong shape or type, a pair incomplete, truncated),
// GPT2_ERR_OUT_OF_MEMORY; gpt2_last_error() names the file and the fault.
// Owned: free with gpt2_adapter_free. The adapter keeps its model alive, and a session using it keeps
// the adapter alive: freeing it only drops the caller's reference.
GPT2_API gpt2_adapter * gpt2_adapter_load(gpt2_model * model, const char * path);

// Drops the caller's reference. NULL is a no-op.
GPT2_API void gpt2_adapter_free(gpt2_adapter * adapter);

GPT2_API int32_t gpt2_adapter_rank(const gpt2_adapter * adapter);        // the largest rank of its matrices
GPT2_API int32_t gpt2_adapter_n_matrices(const gpt2_adapter * adapter);  // matrices it adapts
GPT2_API float   gpt2_adapter_alpha(const gpt2_adapter * adapter);       // adapter.lora.alpha, 0 if absent
// general.name, or "" if absent. Borrowed: valid while adapter is.
GPT2_API const char * gpt2_adapter_name(const gpt2_adapter * adapter);

// The most adapters a session applies at once.
#define GPT2_MAX_ADAPTERS 16

// Sets the adapters of the session's following evals, replacing any before (n = 0: none), as llama.cpp's
// llama_set_adapters_lora: adapters[i] at scale scales[i]. Several adapters add their terms, in list
// order. The session takes a reference on each (the caller may free them after). Returns GPT2_OK; or
// GPT2_ERR_INVALID_ARG (nothing changed, gpt2_last_error names the entry) for a NULL session, n out of
// [0, GPT2_MAX_ADAPTERS], NULL arrays with n > 0, a NULL adapter, one loaded for another model, one
// listed twice, or a scale that is not finite.
GPT2_API gpt2_status gpt2_session_set_adapters(gpt2_session * session, gpt2_adapter * const * adapters, const float * scales,
                                               int32_t n);

// ---------------------------------------------------------------------------------------------
// Quantization
// ---------------------------------------------------------------------------------------------

// Rewrites a GPT-2 GGUF with its 2-D weight matrices in another type (F32, F16, Q8_0, Q4_0, ...);
// 1-D tensors stay F32. Metadata is kept; general.file_type is updated.
GPT2_API gpt2_status gpt2_quantize(const char * src_path, const char * dst_path, int32_t type, int32_t n_threads);

#ifdef __cplusplus
}
#endif

#endif // GPT2_H
