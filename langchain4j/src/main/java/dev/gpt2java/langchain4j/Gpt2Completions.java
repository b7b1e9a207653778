package dev.gpt2java.langchain4j;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.batching.BatchingEngine;
import dev.gpt2java.batching.Generation;
import dev.gpt2java.batching.GenerationRequest;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GeneratedToken;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.Hypothesis;
import dev.langchain4j.model.StreamingResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What both LangChain4j models do: a prompt to tokens, a request to the batching engine (or, for beam search,
 * a search on a session of its own), the result to LangChain4j's {@link Response}. Owns the engine and the
 * model when the builder opened them.
 */
final class Gpt2Completions implements AutoCloseable {

    private final Gpt2Model model;
    private final BatchingEngine engine;
    private final boolean owned;
    private final CompletionOptions options;
    private final AtomicBoolean closed = new AtomicBoolean();

    Gpt2Completions(Gpt2Model model, BatchingEngine engine, boolean owned, CompletionOptions options) {
        this.model = Objects.requireNonNull(model, "model");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.owned = owned;
        this.options = Objects.requireNonNull(options, "options");
    }

    CompletionOptions options() {
        return options;
    }

    /** The prompt's tokens; an empty prompt starts from {@code <|endoftext|>}, as GPT-2's unconditional samples do. */
    int[] encode(String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        int[] tokens = model.tokenizer().encode(prompt);
        return tokens.length > 0 ? tokens : new int[] {model.bosToken()};
    }

    /** Generates to the end, on the calling thread's wait. */
    Response<String> complete(String prompt) {
        int[] tokens = encode(prompt);
        if (options.isBeamSearch()) {
            return beam(tokens);
        }
        Generation g = engine.submit(request(tokens));
        try {
            return response(tokens.length, g.result().get());
        } catch (InterruptedException e) {
            g.cancel();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while generating");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /**
     * Streams the text to {@code handler} as the engine makes it ({@code onNext} per piece of whole characters,
     * then {@code onComplete} with the whole text, or {@code onError}); returns at once. If {@code onNext}
     * throws, the generation is cancelled and {@code onError} gets the exception.
     */
    StreamingHandle stream(String prompt, StreamingResponseHandler<String> handler) {
        Objects.requireNonNull(handler, "handler");
        int[] tokens;
        try {
            tokens = encode(prompt);
        } catch (RuntimeException e) {
            handler.onError(e);
            return new Handle(null);
        }
        if (options.isBeamSearch()) {
            Handle h = new Handle(null);
            Thread.ofVirtual().name("gpt2-langchain4j-beam").start(() -> {
                try {
                    Response<String> r = beam(tokens);
                    if (!h.isCancelled()) {
                        handler.onNext(r.content());
                        handler.onComplete(r);
                    }
                } catch (RuntimeException | Error e) {
                    handler.onError(e);
                }
            });
            return h;
        }
        Generation g;
        try {
            g = engine.submit(request(tokens));
        } catch (RuntimeException e) {
            handler.onError(e);
            return new Handle(null);
        }
        Handle h = new Handle(g);
        g.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;
            private boolean failed;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(GeneratedToken t) {
                if (failed || t.text().isEmpty()) {
                    return;
                }
                try {
                    handler.onNext(t.text());
                } catch (RuntimeException | Error e) {
                    failed = true;
                    subscription.cancel();
                    handler.onError(e);
                }
            }

            @Override
            public void onError(Throwable e) {
                if (!failed) {
                    failed = true;
                    handler.onError(e);
                }
            }

            @Override
            public void onComplete() {
                if (failed) {
                    return;
                }
                g.result().whenComplete((r, e) -> {
                    if (e != null) {
                        handler.onError(unwrap(e));
                    } else {
                        handler.onComplete(response(tokens.length, r));
                    }
                });
            }
        });
        return h;
    }

    private GenerationRequest request(int[] tokens) {
        return new GenerationRequest(tokens, options.sampling().newSampler(),
                options.generationParams(model.eosToken()), options.timeout());
    }

    private Response<String> beam(int[] prompt) {
        Hypothesis best = BeamSearch.search(model, prompt, options.beamSearchParams(model.eosToken())).getFirst();
        int[] out = best.tokens();
        boolean eos = out.length > 0 && out[out.length - 1] == model.eosToken();
        int[] text = eos ? java.util.Arrays.copyOf(out, out.length - 1) : out;
        FinishReason reason = eos ? FinishReason.EOS : FinishReason.LENGTH;
        return response(prompt.length, new GenerationResult(out, model.tokenizer().decode(text), reason));
    }

    private static Response<String> response(int promptTokens, GenerationResult r) {
        return Response.from(r.text(), new TokenUsage(promptTokens, r.tokens().length), finishReason(r.reason()));
    }

    /** Ours to LangChain4j's: EOS and stop strings are STOP, the limit LENGTH, a cancel or a timeout OTHER. */
    static dev.langchain4j.model.output.FinishReason finishReason(FinishReason r) {
        return switch (r) {
            case EOS, STOP_STRING -> dev.langchain4j.model.output.FinishReason.STOP;
            case LENGTH -> dev.langchain4j.model.output.FinishReason.LENGTH;
            case CANCELLED, TIMEOUT -> dev.langchain4j.model.output.FinishReason.OTHER;
        };
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(cause);
    }

    @Override
    public void close() {
        if (owned && closed.compareAndSet(false, true)) {
            try {
                engine.close();
            } finally {
                model.close();
            }
        }
    }

    /** Cancels a streaming generation; for beam search, drops its callbacks (the search itself runs to its end). */
    private static final class Handle implements StreamingHandle {
        private final Generation generation;
        private volatile boolean cancelled;

        Handle(Generation generation) {
            this.generation = generation;
        }

        @Override
        public void cancel() {
            cancelled = true;
            if (generation != null) {
                generation.cancel();
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
