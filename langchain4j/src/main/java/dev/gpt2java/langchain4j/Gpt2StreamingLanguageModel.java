package dev.gpt2java.langchain4j;

import dev.langchain4j.model.StreamingResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.language.StreamingLanguageModel;

/**
 * LangChain4j's {@link StreamingLanguageModel} on GPT-2, in process, on gpt2-java's batching engine: the
 * handler's {@code onNext} gets the text as it is generated (whole characters; text that may begin a stop
 * string is held back until it cannot), on a delivery thread of the engine, then {@code onComplete} with
 * the whole text, token usage and finish reason, or {@code onError}. A handler whose {@code onNext} throws
 * cancels the generation. {@link #start} returns a handle that cancels it (finish reason OTHER).
 * With beam search the text comes in one {@code onNext} at the end.
 */
public final class Gpt2StreamingLanguageModel implements StreamingLanguageModel, AutoCloseable {

    private final Gpt2Completions completions;

    private Gpt2StreamingLanguageModel(Gpt2Completions completions) {
        this.completions = completions;
    }

    public static Gpt2ModelBuilder<Gpt2StreamingLanguageModel> builder() {
        return new Gpt2ModelBuilder<>(Gpt2StreamingLanguageModel::new);
    }

    @Override
    public void generate(String prompt, StreamingResponseHandler<String> handler) {
        start(prompt, handler);
    }

    /** As {@link #generate}, returning a handle that cancels the generation. Errors go to the handler. */
    public StreamingHandle start(String prompt, StreamingResponseHandler<String> handler) {
        return completions.stream(prompt, handler);
    }

    @Override
    public void close() {
        completions.close();
    }
}
