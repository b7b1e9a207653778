package dev.gpt2java.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A stage of the chain {@link SamplingParams} builds; {@link SamplingParams#order()} lists them. */
public enum Stage {
    LOGIT_BIAS,
    REPETITION_PENALTY,
    PRESENCE_FREQUENCY_PENALTY,
    TEMPERATURE,
    TOP_K,
    TOP_P,
    MIN_P,
    TYPICAL_P;

    /**
     * Hugging Face's order ({@code GenerationMixin._get_logits_processor}): bias and penalties on the
     * raw logits, then temperature, then the truncations. (llama.cpp puts temperature last.)
     */
    public static final List<Stage> DEFAULT_ORDER = List.of(values());

    /**
     * Parses an order such as {@code "top_k,top_p,temperature"} (names case-insensitive, {@code -}
     * or {@code _}, separated by commas or spaces); for a command line.
     */
    public static List<Stage> parseOrder(String text) {
        List<Stage> order = new ArrayList<>();
        for (String name : text.trim().split("[,\\s]+")) {
            if (name.isEmpty()) {
                continue;
            }
            try {
                order.add(valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("order must list stages of "
                        + List.of(values()).toString().toLowerCase(Locale.ROOT) + ", unknown stage '" + name + "'");
            }
        }
        return List.copyOf(order);
    }
}
