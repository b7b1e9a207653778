package dev.gpt2java.search;

/**
 * The outcome of {@link Generator#generate}.
 *
 * @param tokens the generated tokens, prompt excluded (a copy)
 * @param text   the text released, the concatenation of the steps' {@link GeneratedToken#text()}
 * @param reason why it ended
 */
public record GenerationResult(int[] tokens, String text, FinishReason reason) {

    public GenerationResult {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
