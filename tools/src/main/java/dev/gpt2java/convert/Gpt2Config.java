package dev.gpt2java.convert;

import dev.gpt2java.ModelShape;

import dev.gpt2java.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2's {@code config.json}, with transformers' {@code GPT2Config} defaults for absent keys (and its
 * aliases: {@code hidden_size}, {@code max_position_embeddings}, {@code num_attention_heads},
 * {@code num_hidden_layers}). Refused, with a message saying what is supported: another model type or
 * architecture, and GPT-2 variants the engines do not compute (another activation, unscaled or
 * layer-scaled attention, cross-attention).
 *
 * @param shape      the model's shape as GGUF records it; its {@code nCtx} is the context length written:
 *                   {@code n_ctx} if the file has it (OpenAI's configs do), else {@code n_positions}
 * @param nPositions rows of the checkpoint's {@code wpe}
 */
record Gpt2Config(Map<String, Object> raw, ModelShape shape, int nPositions, boolean tieWordEmbeddings) {

    static final String SUPPORTED = "GPT-2 checkpoints are supported: model_type \"gpt2\", architecture GPT2LMHeadModel "
            + "(gpt2, gpt2-medium, gpt2-large, gpt2-xl, distilgpt2 and their fine-tunes)";

    private static final List<String> TANH_GELU = List.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast");

    static Gpt2Config read(Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw ConversionException.of(dir, "no config.json: not a Hugging Face model folder (it needs config.json, "
                    + "model.safetensors, vocab.json and merges.txt)");
        }
        Map<String, Object> c = HfTokenizer.readJson(file);
        Object type = c.get("model_type");
        if (!"gpt2".equals(type)) {
            throw ConversionException.of(file, "model_type is " + describe(type) + ". Only " + SUPPORTED);
        }
        Object arch = c.get("architectures");
        if (arch != null && arch != Json.NULL) {
            if (!(arch instanceof List<?> l) || l.isEmpty() || !"GPT2LMHeadModel".equals(l.get(0))) {
                throw ConversionException.of(file, "architectures is " + describe(arch) + ". Only " + SUPPORTED);
            }
        }
        int nEmbd = integer(file, c, 768, "n_embd", "hidden_size");
        int nHead = integer(file, c, 12, "n_head", "num_attention_heads");
        int nLayer = integer(file, c, 12, "n_layer", "num_hidden_layers");
        int nPositions = integer(file, c, 1024, "n_positions", "max_position_embeddings");
        int vocab = integer(file, c, 50257, "vocab_size");
        int nCtx = c.get("n_ctx") instanceof Long ? integer(file, c, 0, "n_ctx") : nPositions;
        int nInner = c.get("n_inner") instanceof Long ? integer(file, c, 0, "n_inner") : 4 * nEmbd;
        if (nEmbd % nHead != 0) {
            throw ConversionException.of(file, "n_embd = " + nEmbd + " is not a multiple of n_head = " + nHead);
        }
        if (nEmbd > (1 << 16) || nLayer > 4096 || nHead > nEmbd || vocab > (1 << 24) || nPositions > (1 << 24)
                || nInner > (1 << 20)) {
            throw ConversionException.of(file, "implausible sizes: n_embd " + nEmbd + ", n_layer " + nLayer + ", n_head " + nHead
                    + ", n_inner " + nInner + ", vocab_size " + vocab + ", n_positions " + nPositions);
        }
        Object act = c.getOrDefault("activation_function", "gelu_new");
        if (!TANH_GELU.contains(act)) {
            throw ConversionException.of(file, "activation_function is " + describe(act) + ": GPT-2's tanh GELU ("
                    + String.join(", ", TANH_GELU) + ") is what the engines compute");
        }
        Object eps = c.getOrDefault("layer_norm_epsilon", 1e-5);
        if (!(eps instanceof Number n) || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) {
            throw ConversionException.of(file, "layer_norm_epsilon is " + describe(eps) + ", not a positive number");
        }
        flag(file, c, "scale_attn_weights", true, "attention scaled by 1/sqrt(head_dim)");
        flag(file, c, "scale_attn_by_inverse_layer_idx", false, "no extra 1/layer scaling of attention");
        flag(file, c, "add_cross_attention", false, "no cross-attention");
        Object tie = c.getOrDefault("tie_word_embeddings", Boolean.TRUE);
        if (!(tie instanceof Boolean tied)) {
            throw ConversionException.of(file, "tie_word_embeddings is " + describe(tie) + ", not true or false");
        }
        return new Gpt2Config(c, new ModelShape(vocab, nCtx, nEmbd, nHead, nLayer, nInner, n.floatValue()), nPositions,
                tied);
    }

    private static void flag(Path file, Map<String, Object> c, String key, boolean want, String what) throws ConversionException {
        Object v = c.getOrDefault(key, want);
        if (!Boolean.valueOf(want).equals(v)) {
            throw ConversionException.of(file, key + " is " + describe(v) + ": only GPT-2's " + what + " is supported");
        }
    }

    private static int integer(Path file, Map<String, Object> c, int dflt, String... keys) throws ConversionException {
        for (String k : keys) {
            if (c.containsKey(k)) {
                Object v = c.get(k);
                if (!(v instanceof Long l) || l < 1 || l > Integer.MAX_VALUE) {
                    throw ConversionException.of(file, k + " is " + describe(v) + ", not a positive integer");
                }
                return (int) (long) l;
            }
        }
        return dflt;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "missing";
        }
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        return String.valueOf(v);
    }
}
