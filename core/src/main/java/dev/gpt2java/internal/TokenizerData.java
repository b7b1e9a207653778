package dev.gpt2java.internal;

import java.nio.file.Path;

/** Where {@code ci/fetch-tokenizer-data.sh} puts OpenAI's GPT-2 files and the text corpora. */
public final class TokenizerData {

    private TokenizerData() {
    }

    /**
     * {@code -Dgpt2.tokenizer.data}, else {@code $GPT2_TOKENIZER_DATA}, else
     * {@code ${XDG_CACHE_HOME:-~/.cache}/gpt2-java/tokenizer-data}; absolute.
     */
    public static Path dir() {
        String prop = System.getProperty("gpt2.tokenizer.data");
        if (prop == null || prop.isBlank()) {
            prop = System.getenv("GPT2_TOKENIZER_DATA");
        }
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("gpt2-java").resolve("tokenizer-data").toAbsolutePath();
    }
}
