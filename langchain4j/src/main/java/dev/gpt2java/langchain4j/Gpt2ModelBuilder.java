package dev.gpt2java.langchain4j;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.batching.BatchingEngine;
import dev.gpt2java.batching.BatchingParams;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.search.EarlyStopping;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds {@link Gpt2LanguageModel} and {@link Gpt2StreamingLanguageModel}. Either {@link #modelPath} (the
 * built model loads the file and starts a batching engine of its own, closed with it) or {@link #engine}
 * with its {@link #model} (shared: several LangChain4j models, or other code, submit to one engine, and
 * concurrent calls share its batches; closing the LangChain4j model leaves them open).
 *
 * <p>Defaults: 64 tokens, greedy (temperature 0: the same text for the same prompt), no stop strings,
 * no beam search, the engine's timeout. Every value is checked by the library's parameter records when
 * {@link #build()} runs: a bad one throws {@link IllegalArgumentException} naming it.
 *
 * @param <M> the model it builds
 */
public final class Gpt2ModelBuilder<M> {

    private final Function<Gpt2Completions, M> factory;
    private Path modelPath;
    private Gpt2Model model;
    private BatchingEngine engine;
    private BatchingParams batching = BatchingParams.defaults();
    private SamplingParams sampling = SamplingParams.greedy();
    private int maxTokens = 64;
    private int minTokens;
    private List<String> stop = List.of();
    private int noRepeatNgramSize;
    private int numBeams = 1;
    private double lengthPenalty = 1.0;
    private EarlyStopping earlyStopping = EarlyStopping.FALSE;
    private Duration timeout = Duration.ZERO;

    Gpt2ModelBuilder(Function<Gpt2Completions, M> factory) {
        this.factory = factory;
    }

    /** The GGUF file to load; the built model owns the model and its engine. */
    public Gpt2ModelBuilder<M> modelPath(Path modelPath) {
        this.modelPath = modelPath;
        return this;
    }

    /** The engine's slots, threads, queue and timeout, when the built model starts its own. */
    public Gpt2ModelBuilder<M> batching(BatchingParams batching) {
        this.batching = Objects.requireNonNull(batching, "batching");
        return this;
    }

    /** A loaded model, with {@link #engine} running on it: shared, not closed by the built model. */
    public Gpt2ModelBuilder<M> model(Gpt2Model model) {
        this.model = model;
        return this;
    }

    /** A running engine on {@link #model}: shared, not closed by the built model. */
    public Gpt2ModelBuilder<M> engine(BatchingEngine engine) {
        this.engine = engine;
        return this;
    }

    public Gpt2ModelBuilder<M> maxTokens(int maxTokens) {
        this.maxTokens = maxTokens;
        return this;
    }

    public Gpt2ModelBuilder<M> minTokens(int minTokens) {
        this.minTokens = minTokens;
        return this;
    }

    /** Every sampling parameter at once (temperature, top-k/p, min-p, typical-p, penalties, logit bias, seed, order). */
    public Gpt2ModelBuilder<M> sampling(SamplingParams sampling) {
        this.sampling = Objects.requireNonNull(sampling, "sampling");
        return this;
    }

    public Gpt2ModelBuilder<M> temperature(double temperature) {
        sampling = sampling.withTemperature(temperature);
        return this;
    }

    public Gpt2ModelBuilder<M> topK(int topK) {
        sampling = sampling.withTopK(topK);
        return this;
    }

    public Gpt2ModelBuilder<M> topP(double topP) {
        sampling = sampling.withTopP(topP);
        return this;
    }

    public Gpt2ModelBuilder<M> minP(double minP) {
        sampling = sampling.withMinP(minP);
        return this;
    }

    public Gpt2ModelBuilder<M> repetitionPenalty(double repetitionPenalty) {
        sampling = sampling.withRepetitionPenalty(repetitionPenalty);
        return this;
    }

    /** The seed of every call's draw: the same prompt and seed give the same text. */
    public Gpt2ModelBuilder<M> seed(long seed) {
        sampling = sampling.withSeed(seed);
        return this;
    }

    public Gpt2ModelBuilder<M> stop(List<String> stop) {
        this.stop = List.copyOf(stop);
        return this;
    }

    public Gpt2ModelBuilder<M> noRepeatNgramSize(int noRepeatNgramSize) {
        this.noRepeatNgramSize = noRepeatNgramSize;
        return this;
    }

    /** More than 1: beam search (Hugging Face's), on a session of its own per call, not batched. */
    public Gpt2ModelBuilder<M> numBeams(int numBeams) {
        this.numBeams = numBeams;
        return this;
    }

    public Gpt2ModelBuilder<M> lengthPenalty(double lengthPenalty) {
        this.lengthPenalty = lengthPenalty;
        return this;
    }

    public Gpt2ModelBuilder<M> earlyStopping(EarlyStopping earlyStopping) {
        this.earlyStopping = earlyStopping;
        return this;
    }

    /** A call's deadline: past it the generation ends with finish reason OTHER. */
    public Gpt2ModelBuilder<M> timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * @throws IllegalArgumentException if an option is out of range, or neither or both of modelPath and
     *                                  model + engine are given
     */
    public M build() {
        CompletionOptions options = CompletionOptions.checked(maxTokens, minTokens, sampling, stop, noRepeatNgramSize,
                numBeams, lengthPenalty, earlyStopping, timeout);
        if ((modelPath == null) == (model == null && engine == null)) {
            throw new IllegalArgumentException("give modelPath, or model and engine (shared), not both");
        }
        if (modelPath != null) {
            Gpt2Model m = Gpt2Model.load(modelPath);
            try {
                return factory.apply(new Gpt2Completions(m, BatchingEngine.start(m, batching), true, options));
            } catch (RuntimeException | Error e) {
                m.close();
                throw e;
            }
        }
        if (model == null || engine == null) {
            throw new IllegalArgumentException("a shared engine needs its model too: give model and engine");
        }
        return factory.apply(new Gpt2Completions(model, engine, false, options));
    }
}
