package dev.gpt2java.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics is Prometheus text that counts what was answered and how the steps and tokens went. */
class MetricsTest {

    @RegisterExtension
    static final TestServer server = TestServer.forClass();

    /** The samples of a scrape: {@code name{labels}} to value (comments left out). */
    static Map<String, Double> scrape() {
        HttpResponse<String> r = server.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            samples.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
        }
        return samples;
    }

    @Test
    void aCompletionIsCountedWithItsTokensStepsAndLatencies() {
        HttpResponse<String> r = server.post("/v1/completions",
                "{\"model\": \"tiny\", \"prompt\": \"Hello there\", \"max_tokens\": 5, \"n\": 2, \"ignore_eos\": true}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode usage = TestServer.json(r).get("usage");
        server.post("/v1/completions", "{\"model\": \"tiny\"}"); // a 400

        Map<String, Double> m = scrape();
        assertEquals(1.0, m.get("gpt2_requests_total{endpoint=\"/v1/completions\",status=\"200\"}"), m.toString());
        assertEquals(1.0, m.get("gpt2_requests_total{endpoint=\"/v1/completions\",status=\"400\"}"));
        assertEquals(usage.get("prompt_tokens").asDouble(), m.get("gpt2_prompt_tokens_total"));
        assertEquals(10.0, m.get("gpt2_completion_tokens_total"), "2 choices of 5 tokens");
        assertEquals(2.0, m.get("gpt2_slots"));
        assertEquals(0.0, m.get("gpt2_slots_active"));
        assertEquals(0.0, m.get("gpt2_queue_length"));
        assertEquals(0.0, m.get("gpt2_side_sessions_active"));
        double steps = m.get("gpt2_engine_steps_total");
        assertTrue(steps >= 5, "at least one step per token: " + steps);
        assertEquals(steps, m.get("gpt2_batch_tokens_count"), "one observation per step");
        assertEquals(steps, m.get("gpt2_batch_tokens_bucket{le=\"+Inf\"}"));
        assertEquals(steps, m.get("gpt2_step_seconds_count"));
        assertEquals(2.0, m.get("gpt2_time_to_first_token_seconds_count"), "one per sequence");
        assertEquals(8.0, m.get("gpt2_time_per_output_token_seconds_count"), "4 gaps in each of 2 sequences");
        assertTrue(m.get("gpt2_batch_sequences_sum") >= 10, "every sequence is in the steps that make its tokens");
    }
}
