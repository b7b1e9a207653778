package dev.gpt2java.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2 vocabulary as its files hold it: the tokens in id order and the merges in rank order, both in
 * the byte-to-unicode form ({@code "Ġthe"}, {@code "Ġ t"}), and the special tokens. This is what a GGUF
 * file stores as {@code tokenizer.ggml.tokens} and {@code tokenizer.ggml.merges}.
 */
public record Vocabulary(List<String> tokens, List<String> merges, Map<String, Integer> specialTokens) {

    public Vocabulary {
        tokens = List.copyOf(tokens);
        merges = List.copyOf(merges);
        specialTokens = Map.copyOf(specialTokens);
    }

    /**
     * Reads Hugging Face's {@code vocab.json} and {@code merges.txt} (or OpenAI's {@code encoder.json} and
     * {@code vocab.bpe}, the same formats), checked as {@link Gpt2Tokenizer#fromHuggingFace} checks them.
     */
    public static Vocabulary read(Path vocabJson, Path mergesTxt) throws IOException {
        return Gpt2Tokenizer.readVocabulary(vocabJson, mergesTxt);
    }

    /** The tokenizer of this vocabulary. */
    public Gpt2Tokenizer tokenizer() {
        return Gpt2Tokenizer.fromVocab(tokens, merges, specialTokens);
    }
}
