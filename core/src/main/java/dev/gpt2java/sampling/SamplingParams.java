package dev.gpt2java.sampling;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every sampling parameter, validated here: an out-of-range value throws
 * {@link IllegalArgumentException} naming the parameter and its valid range. Neutral values turn a
 * stage off; {@link #newSampler()} builds the chain of the stages that are on, in {@link #order()}.
 *
 * @param temperature       [0, +inf), finite; 0 is greedy (argmax after bias and penalties), 1 is off
 * @param topK              [0, +inf); 0 is off
 * @param topP              [0, 1]; 1 is off
 * @param minP              [0, 1]; 0 is off
 * @param typicalP          (0, 1]; 1 is off
 * @param minKeep           [1, +inf): the fewest tokens top-k, top-p, min-p and typical-p leave
 * @param repetitionPenalty (0, +inf), finite; 1 is off (Hugging Face's, see {@link RepetitionPenalty})
 * @param presencePenalty   finite; 0 is off (see {@link PresenceFrequencyPenalty})
 * @param frequencyPenalty  finite; 0 is off
 * @param lastN             the penalties' window: -1 for the whole history, else [0, +inf)
 * @param logitBias         token id to bias (see {@link LogitBias}); empty is off
 * @param seed              the seed of the draw (any value)
 * @param order             the stages in the order they run, each at most once; every stage that is
 *                          on must be listed
 */
public record SamplingParams(
        double temperature,
        int topK,
        double topP,
        double minP,
        double typicalP,
        int minKeep,
        double repetitionPenalty,
        double presencePenalty,
        double frequencyPenalty,
        int lastN,
        Map<Integer, Float> logitBias,
        long seed,
        List<Stage> order) {

    /** llama.cpp's default penalty window. */
    public static final int DEFAULT_LAST_N = 64;

    public SamplingParams {
        Logits.require(temperature >= 0 && Double.isFinite(temperature),
                "temperature must be in [0, +inf) and finite, was " + temperature);
        Logits.require(topK >= 0, "topK must be in [0, " + Integer.MAX_VALUE + "] (0: off), was " + topK);
        Logits.require(topP >= 0 && topP <= 1, "topP must be in [0, 1] (1: off), was " + topP);
        Logits.require(minP >= 0 && minP <= 1, "minP must be in [0, 1] (0: off), was " + minP);
        Logits.require(typicalP > 0 && typicalP <= 1, "typicalP must be in (0, 1] (1: off), was " + typicalP);
        Logits.requireMinKeep(minKeep);
        Logits.require(repetitionPenalty > 0 && Double.isFinite(repetitionPenalty),
                "repetitionPenalty must be in (0, +inf) and finite (1: off), was " + repetitionPenalty);
        Logits.require(Double.isFinite(presencePenalty),
                "presencePenalty must be finite, in (-inf, +inf) (0: off), was " + presencePenalty);
        Logits.require(Double.isFinite(frequencyPenalty),
                "frequencyPenalty must be finite, in (-inf, +inf) (0: off), was " + frequencyPenalty);
        Logits.requireLastN(lastN);
        Logits.require(logitBias != null, "logitBias must be a map (empty: off), was null");
        logitBias = new LogitBias(logitBias).bias(); // validates and copies
        Logits.require(order != null, "order must be a list of stages, was null");
        order = List.copyOf(order);
        Set<Stage> seen = EnumSet.noneOf(Stage.class);
        for (Stage s : order) {
            Logits.require(seen.add(s), "order must list each stage at most once, " + s + " is twice in " + order);
        }
        for (Stage s : Stage.values()) {
            if (!seen.contains(s) && isOn(s, temperature, topK, topP, minP, typicalP, repetitionPenalty,
                    presencePenalty, frequencyPenalty, logitBias)) {
                throw new IllegalArgumentException("order must list every stage that is on, " + s + " is on but missing from " + order);
            }
        }
    }

    /** Everything off, temperature 1 (plain sampling from the model's distribution), seed 0. */
    public static SamplingParams defaults() {
        return new SamplingParams(1, 0, 1, 0, 1, 1, 1, 0, 0, DEFAULT_LAST_N, Map.of(), 0, Stage.DEFAULT_ORDER);
    }

    /** Greedy decoding: temperature 0, everything else off. */
    public static SamplingParams greedy() {
        return defaults().withTemperature(0);
    }

    public boolean isOn(Stage stage) {
        return isOn(stage, temperature, topK, topP, minP, typicalP, repetitionPenalty, presencePenalty,
                frequencyPenalty, logitBias);
    }

    private static boolean isOn(Stage stage, double temperature, int topK, double topP, double minP, double typicalP,
            double repetitionPenalty, double presencePenalty, double frequencyPenalty, Map<Integer, Float> logitBias) {
        return switch (stage) {
            case LOGIT_BIAS -> !logitBias.isEmpty();
            case REPETITION_PENALTY -> repetitionPenalty != 1;
            case PRESENCE_FREQUENCY_PENALTY -> presencePenalty != 0 || frequencyPenalty != 0;
            case TEMPERATURE -> temperature != 1 && temperature != 0;
            case TOP_K -> topK != 0;
            case TOP_P -> topP != 1;
            case MIN_P -> minP != 0;
            case TYPICAL_P -> typicalP != 1;
        };
    }

    /** The filters of the stages that are on, in {@link #order()}. */
    public List<LogitsFilter> filters() {
        return order.stream().filter(this::isOn).map(this::filter).toList();
    }

    private LogitsFilter filter(Stage stage) {
        return switch (stage) {
            case LOGIT_BIAS -> new LogitBias(logitBias);
            case REPETITION_PENALTY -> new RepetitionPenalty(repetitionPenalty, lastN);
            case PRESENCE_FREQUENCY_PENALTY -> new PresenceFrequencyPenalty(presencePenalty, frequencyPenalty, lastN);
            case TEMPERATURE -> new Temperature(temperature);
            case TOP_K -> new TopK(topK, minKeep);
            case TOP_P -> new TopP(topP, minKeep);
            case MIN_P -> new MinP(minP, minKeep);
            case TYPICAL_P -> new TypicalP(typicalP, minKeep);
        };
    }

    /**
     * A new chain for these parameters, with its own generator seeded with {@link #seed()}: greedy
     * when the temperature is 0 (bias and penalties still apply; the truncations cannot change the
     * argmax, so they are left out), else a seeded draw.
     */
    public SamplerChain newSampler() {
        if (temperature == 0) {
            Set<Stage> shaping = EnumSet.of(Stage.LOGIT_BIAS, Stage.REPETITION_PENALTY, Stage.PRESENCE_FREQUENCY_PENALTY);
            return SamplerChain.greedy(order.stream().filter(s -> shaping.contains(s) && isOn(s))
                    .map(this::filter).toArray(LogitsFilter[]::new));
        }
        return SamplerChain.of(seed, filters().toArray(LogitsFilter[]::new));
    }

    // one component changed, the rest kept (and the whole validated again)
    public SamplingParams withTemperature(double v) { return with(c -> c.temperature = v); }
    public SamplingParams withTopK(int v) { return with(c -> c.topK = v); }
    public SamplingParams withTopP(double v) { return with(c -> c.topP = v); }
    public SamplingParams withMinP(double v) { return with(c -> c.minP = v); }
    public SamplingParams withTypicalP(double v) { return with(c -> c.typicalP = v); }
    public SamplingParams withMinKeep(int v) { return with(c -> c.minKeep = v); }
    public SamplingParams withRepetitionPenalty(double v) { return with(c -> c.repetitionPenalty = v); }
    public SamplingParams withPresencePenalty(double v) { return with(c -> c.presencePenalty = v); }
    public SamplingParams withFrequencyPenalty(double v) { return with(c -> c.frequencyPenalty = v); }
    public SamplingParams withLastN(int v) { return with(c -> c.lastN = v); }
    public SamplingParams withLogitBias(Map<Integer, Float> v) { return with(c -> c.logitBias = v == null ? null : new HashMap<>(v)); }
    public SamplingParams withSeed(long v) { return with(c -> c.seed = v); }
    public SamplingParams withOrder(List<Stage> v) { return with(c -> c.order = v); }

    /** These parameters with {@code change} made to a copy of them, validated as new ones. */
    private SamplingParams with(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new SamplingParams(c.temperature, c.topK, c.topP, c.minP, c.typicalP, c.minKeep, c.repetitionPenalty,
                c.presencePenalty, c.frequencyPenalty, c.lastN, c.logitBias, c.seed, c.order);
    }

    /** The components, to change before {@link #with} builds new parameters from them. */
    private final class Copy {
        double temperature = SamplingParams.this.temperature;
        int topK = SamplingParams.this.topK;
        double topP = SamplingParams.this.topP;
        double minP = SamplingParams.this.minP;
        double typicalP = SamplingParams.this.typicalP;
        int minKeep = SamplingParams.this.minKeep;
        double repetitionPenalty = SamplingParams.this.repetitionPenalty;
        double presencePenalty = SamplingParams.this.presencePenalty;
        double frequencyPenalty = SamplingParams.this.frequencyPenalty;
        int lastN = SamplingParams.this.lastN;
        Map<Integer, Float> logitBias = SamplingParams.this.logitBias;
        long seed = SamplingParams.this.seed;
        List<Stage> order = SamplingParams.this.order;
    }
}
