package dev.gpt2java.server;

import dev.gpt2java.batching.BatchingMetrics;
import dev.gpt2java.batching.StepObserver;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's metrics, one registry per server (never the library's global one), written as Prometheus text on
 * {@code GET /metrics}. Counters the server keeps (requests by endpoint and status, prompt and completion tokens,
 * beam searches included), the engine's gauges and totals read when scraped, and histograms of the batched steps
 * (told by the engine's {@link StepObserver}), of the time to a request's first token and of the time between
 * its tokens. docs/SERVING.md lists them.
 */
final class ServerMetrics implements StepObserver {

    /** The text format's content type. */
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
        30, 60};
    private static final double[] POWERS_OF_TWO = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private final Counter requests;
    private final Counter promptTokens;
    private final Counter completionTokens;
    private final Histogram batchTokens;
    private final Histogram batchSequences;
    private final Histogram stepSeconds;
    private final Histogram firstTokenSeconds;
    private final Histogram tokenSeconds;

    /**
     * @param engine      the engine's metrics now (read on each scrape; null before the engine runs)
     * @param slots       the engine's slots
     * @param sideRunning side sessions running now
     */
    ServerMetrics(Supplier<BatchingMetrics> engine, int slots, IntSupplier sideRunning) {
        requests = Counter.builder().name("gpt2_requests_total")
                .help("HTTP requests answered, by endpoint and status").labelNames("endpoint", "status")
                .register(registry);
        promptTokens = Counter.builder().name("gpt2_prompt_tokens_total")
                .help("Prompt tokens of the completions answered").register(registry);
        completionTokens = Counter.builder().name("gpt2_completion_tokens_total")
                .help("Tokens generated for the completions answered (best_of and beam search included)")
                .register(registry);
        CounterWithCallback.builder().name("gpt2_engine_cached_prompt_tokens_total")
                .help("Prompt tokens the engine took from its prompt cache instead of evaluating")
                .callback(cb -> cb.call(metric(engine).cachedPromptTokens())).register(registry);
        CounterWithCallback.builder().name("gpt2_engine_steps_total").help("Batched evals the engine ran")
                .callback(cb -> cb.call(metric(engine).steps())).register(registry);
        CounterWithCallback.builder().name("gpt2_engine_rejected_total")
                .help("Requests the engine refused (queue full or shutting down)")
                .callback(cb -> cb.call(metric(engine).rejected())).register(registry);
        GaugeWithCallback.builder().name("gpt2_queue_length").help("Requests waiting for a slot")
                .callback(cb -> cb.call(metric(engine).queued())).register(registry);
        GaugeWithCallback.builder().name("gpt2_slots_active").help("Slots generating now (prefilling or decoding)")
                .callback(cb -> cb.call(metric(engine).active())).register(registry);
        GaugeWithCallback.builder().name("gpt2_slots").help("Slots of the batching engine")
                .callback(cb -> cb.call(slots)).register(registry);
        GaugeWithCallback.builder().name("gpt2_side_sessions_active")
                .help("Beam searches and prompt scorings running on side sessions now")
                .callback(cb -> cb.call(sideRunning.getAsInt())).register(registry);
        batchTokens = histogram("gpt2_batch_tokens", "Tokens in each batched step", POWERS_OF_TWO);
        batchSequences = histogram("gpt2_batch_sequences", "Sequences in each batched step (decoding and prefilling)",
                POWERS_OF_TWO);
        stepSeconds = histogram("gpt2_step_seconds", "Wall time of each batched step", SECONDS);
        firstTokenSeconds = histogram("gpt2_time_to_first_token_seconds",
                "From a sequence's submission to its first token", SECONDS);
        tokenSeconds = histogram("gpt2_time_per_output_token_seconds",
                "Between two tokens of a sequence (streamed or not)", SECONDS);
    }

    private Histogram histogram(String name, String help, double[] bounds) {
        return Histogram.builder().name(name).help(help).classicOnly().classicUpperBounds(bounds).withoutExemplars()
                .register(registry);
    }

    private static BatchingMetrics metric(Supplier<BatchingMetrics> engine) {
        BatchingMetrics m = engine.get();
        return m != null ? m : new BatchingMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void onStep(int decoding, int prefilling, int tokens, long nanos) {
        batchTokens.observe(tokens);
        batchSequences.observe(decoding + prefilling);
        stepSeconds.observe(nanos / 1e9);
    }

    void request(String endpoint, int status) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
    }

    void tokens(long prompt, long completion) {
        promptTokens.inc(prompt);
        completionTokens.inc(completion);
    }

    void firstToken(long nanos) {
        firstTokenSeconds.observe(nanos / 1e9);
    }

    void betweenTokens(long nanos) {
        tokenSeconds.observe(nanos / 1e9);
    }

    /** The metrics now, as Prometheus text. */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }
}
