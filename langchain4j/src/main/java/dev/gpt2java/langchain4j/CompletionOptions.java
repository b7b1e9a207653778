package dev.gpt2java.langchain4j;

import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.EarlyStopping;
import dev.gpt2java.search.GenerationParams;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The generation options of a LangChain4j model, validated by the library's own records
 * ({@link SamplingParams}, {@link GenerationParams}, {@link BeamSearchParams}) when the model is built.
 *
 * @param maxTokens         most tokens generated, >= 1
 * @param minTokens         EOS is forbidden before this many, 0..maxTokens
 * @param sampling          the sampler chain's parameters; temperature 0 is greedy
 * @param stop              stop strings (not with beam search)
 * @param noRepeatNgramSize no n-gram of this size twice; 0: off
 * @param numBeams          1: sampling or greedy through the batching engine; more: beam search
 * @param lengthPenalty     beam search's length penalty
 * @param earlyStopping     beam search's stopping rule
 * @param timeout           a request's deadline; {@link Duration#ZERO}: the engine's default
 */
record CompletionOptions(int maxTokens, int minTokens, SamplingParams sampling, List<String> stop,
                         int noRepeatNgramSize, int numBeams, double lengthPenalty, EarlyStopping earlyStopping,
                         Duration timeout) {

    CompletionOptions {
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(earlyStopping, "earlyStopping");
        Objects.requireNonNull(timeout, "timeout");
        stop = List.copyOf(stop);
        if (numBeams < 1 || numBeams > BeamSearchParams.MAX_BEAMS) {
            throw new IllegalArgumentException("numBeams must be in 1.." + BeamSearchParams.MAX_BEAMS + " (1: no beam search), was "
                    + numBeams);
        }
        if (numBeams > 1 && !stop.isEmpty()) {
            throw new IllegalArgumentException("stop strings do not go with beam search (numBeams " + numBeams + ")");
        }
        if (numBeams > 1 && sampling.temperature() != 0) {
            throw new IllegalArgumentException("beam search is deterministic: temperature must be 0 with numBeams "
                    + numBeams + ", was " + sampling.temperature());
        }
    }

    /** The options, checked by the records that will carry them (they name the parameter); null never. */
    static CompletionOptions checked(int maxTokens, int minTokens, SamplingParams sampling, List<String> stop,
                                     int noRepeatNgramSize, int numBeams, double lengthPenalty,
                                     EarlyStopping earlyStopping, Duration timeout) {
        CompletionOptions o = new CompletionOptions(maxTokens, minTokens, sampling, stop, noRepeatNgramSize, numBeams,
                lengthPenalty, earlyStopping, timeout);
        o.generationParams(0);
        if (o.isBeamSearch()) {
            o.beamSearchParams(0);
        }
        return o;
    }

    boolean isBeamSearch() {
        return numBeams > 1;
    }

    GenerationParams generationParams(int eos) {
        return GenerationParams.of(maxTokens, eos).withMinNewTokens(minTokens).withNoRepeatNgramSize(noRepeatNgramSize)
                .withStopStrings(stop.toArray(String[]::new));
    }

    BeamSearchParams beamSearchParams(int eos) {
        return BeamSearchParams.of(numBeams, eos).withMaxNewTokens(maxTokens).withMinNewTokens(minTokens)
                .withNoRepeatNgramSize(noRepeatNgramSize).withLengthPenalty(lengthPenalty)
                .withEarlyStopping(earlyStopping);
    }
}
