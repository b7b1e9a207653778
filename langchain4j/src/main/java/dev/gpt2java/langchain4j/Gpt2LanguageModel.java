package dev.gpt2java.langchain4j;

import dev.langchain4j.model.language.LanguageModel;
import dev.langchain4j.model.output.Response;

/**
 * LangChain4j's {@link LanguageModel} on GPT-2, in process: each call is a request to gpt2-java's batching
 * engine, so concurrent calls share its batched evals. The response carries the text, the token usage
 * (prompt and generated tokens) and the finish reason (STOP for EOS or a stop string, LENGTH, OTHER for a
 * timeout). Thread-safe; close it to free what {@link Gpt2ModelBuilder#modelPath} opened.
 *
 * <pre>{@code
 * try (Gpt2LanguageModel model = Gpt2LanguageModel.builder().modelPath(file).maxTokens(20).build()) {
 *     Response<String> r = model.generate("And God said");
 * }
 * }</pre>
 */
public final class Gpt2LanguageModel implements LanguageModel, AutoCloseable {

    private final Gpt2Completions completions;

    private Gpt2LanguageModel(Gpt2Completions completions) {
        this.completions = completions;
    }

    public static Gpt2ModelBuilder<Gpt2LanguageModel> builder() {
        return new Gpt2ModelBuilder<>(Gpt2LanguageModel::new);
    }

    /**
     * Generates the continuation of {@code prompt} (an empty prompt starts from {@code <|endoftext|>}).
     *
     * @throws IllegalArgumentException                          if the prompt does not fit the model's context
     * @throws java.util.concurrent.RejectedExecutionException  if the engine's queue is full
     * @throws java.util.concurrent.CancellationException        if the calling thread is interrupted
     */
    @Override
    public Response<String> generate(String prompt) {
        return completions.complete(prompt);
    }

    @Override
    public void close() {
        completions.close();
    }
}
