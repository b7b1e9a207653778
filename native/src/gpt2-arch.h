// gpt2-arch.h: the GGUF names of a GPT-2 model, as llama.cpp writes and reads them
// (src/llama-arch.cpp and conversion/gpt2.py of the pinned tree). Shared by the loader and the
// writers so that the files we write and the files we read are llama.cpp's.
#pragma once

// metadata keys
#define GPT2_KV_ARCHITECTURE    "general.architecture"       // string, "gpt2"
#define GPT2_KV_NAME            "general.name"               // string, optional
#define GPT2_KV_GENERAL_TYPE    "general.type"               // string: "adapter" in an adapter file
#define GPT2_KV_FILE_TYPE       "general.file_type"          // uint32, llama_ftype
#define GPT2_KV_ALIGNMENT       "general.alignment"          // uint32, optional
#define GPT2_KV_CONTEXT_LENGTH  "gpt2.context_length"        // uint32, n_ctx_train
#define GPT2_KV_EMBD_LENGTH     "gpt2.embedding_length"      // uint32, n_embd
#define GPT2_KV_FF_LENGTH       "gpt2.feed_forward_length"   // uint32, n_ff
#define GPT2_KV_BLOCK_COUNT     "gpt2.block_count"           // uint32, n_layer
#define GPT2_KV_HEAD_COUNT      "gpt2.attention.head_count"  // uint32, n_head
#define GPT2_KV_NORM_EPS        "gpt2.attention.layer_norm_epsilon"  // float32
#define GPT2_KV_VOCAB_SIZE      "gpt2.vocab_size"            // uint32, optional

#define GPT2_KV_TOK_MODEL       "tokenizer.ggml.model"       // string, "gpt2"
#define GPT2_KV_TOK_PRE         "tokenizer.ggml.pre"         // string, "gpt-2"
#define GPT2_KV_TOK_TOKENS      "tokenizer.ggml.tokens"      // array of string
#define GPT2_KV_TOK_TYPES       "tokenizer.ggml.token_type"  // array of int32
#define GPT2_KV_TOK_MERGES      "tokenizer.ggml.merges"      // array of string, "a b"
#define GPT2_KV_TOK_BOS         "tokenizer.ggml.bos_token_id"  // uint32
#define GPT2_KV_TOK_EOS         "tokenizer.ggml.eos_token_id"  // uint32

#define GPT2_ARCH_NAME          "gpt2"

// LoRA adapter files (llama.cpp's src/llama-adapter.cpp): tensors "<matrix>.lora_a" [in, rank] and
// "<matrix>.lora_b" [rank, out] for a model matrix "<matrix>" ([in, out])
#define GPT2_KV_ADAPTER_TYPE    "adapter.type"               // string, "lora"
#define GPT2_KV_LORA_ALPHA      "adapter.lora.alpha"         // float32, optional

// tensors; "%d" is the layer (il). Shapes in ggml order (ne0 first).
#define GPT2_T_TOKEN_EMBD       "token_embd.weight"          // [n_embd, n_vocab]
#define GPT2_T_POS_EMBD         "position_embd.weight"       // [n_embd, n_ctx_train]
#define GPT2_T_OUTPUT_NORM      "output_norm.weight"         // [n_embd]
#define GPT2_T_OUTPUT_NORM_B    "output_norm.bias"           // [n_embd]
#define GPT2_T_OUTPUT           "output.weight"              // [n_embd, n_vocab], optional (tied)
#define GPT2_T_ATTN_NORM        "blk.%d.attn_norm.weight"    // [n_embd]
#define GPT2_T_ATTN_NORM_B      "blk.%d.attn_norm.bias"      // [n_embd]
#define GPT2_T_ATTN_QKV         "blk.%d.attn_qkv.weight"     // [n_embd, 3*n_embd]
#define GPT2_T_ATTN_QKV_B       "blk.%d.attn_qkv.bias"       // [3*n_embd]
#define GPT2_T_ATTN_OUT         "blk.%d.attn_output.weight"  // [n_embd, n_embd]
#define GPT2_T_ATTN_OUT_B       "blk.%d.attn_output.bias"    // [n_embd]
#define GPT2_T_FFN_NORM         "blk.%d.ffn_norm.weight"     // [n_embd]
#define GPT2_T_FFN_NORM_B       "blk.%d.ffn_norm.bias"       // [n_embd]
#define GPT2_T_FFN_UP           "blk.%d.ffn_up.weight"       // [n_embd, n_ff]
#define GPT2_T_FFN_UP_B         "blk.%d.ffn_up.bias"         // [n_ff]
#define GPT2_T_FFN_DOWN         "blk.%d.ffn_down.weight"     // [n_ff, n_embd]
#define GPT2_T_FFN_DOWN_B       "blk.%d.ffn_down.bias"       // [n_embd]

// llama_ftype values for general.file_type (llama.h of the pinned tree)
#define GPT2_FTYPE_ALL_F32      0
#define GPT2_FTYPE_MOSTLY_F16   1
#define GPT2_FTYPE_MOSTLY_Q4_0  2
#define GPT2_FTYPE_MOSTLY_Q4_1  3
#define GPT2_FTYPE_MOSTLY_Q8_0  7
#define GPT2_FTYPE_MOSTLY_Q5_0  8
#define GPT2_FTYPE_MOSTLY_Q5_1  9
#define GPT2_FTYPE_MOSTLY_BF16  32

// sanity limits for what a file may claim, checked before any allocation
#define GPT2_MAX_VOCAB      (1 << 20)
#define GPT2_MAX_CTX        (1 << 16)
#define GPT2_MAX_EMBD       (1 << 15)
#define GPT2_MAX_LAYER      1024
#define GPT2_MAX_HEAD       1024
#define GPT2_MAX_FF         (4 * GPT2_MAX_EMBD)

// tokenizer.ggml.token_type values: llama.cpp's llama_token_type, UNDEFINED (0) .. BYTE (6)
#define GPT2_TOKEN_TYPE_MIN 0
#define GPT2_TOKEN_TYPE_MAX 6
