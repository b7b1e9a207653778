package dev.gpt2java.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request timeout (--timeout, the engine's default deadline): a generation still running then returns what it
 * made with finish_reason "timeout"; a beam search, which has nothing to return before its end, is a 503.
 */
class TimeoutTest {

    @RegisterExtension
    static final TestServer server = TestServer.forClass(RawStream.longContextModel(), TestServer.params()
            .withModelId("long").withBatching(TestServer.params().batching().withDefaultTimeout(Duration.ofMillis(50))));

    @Test
    void aGenerationPastItsDeadlineReturnsItsTextSoFar() {
        HttpResponse<String> r = server.post("/v1/completions", "{\"model\": \"long\", \"prompt\": \"a\", "
                + "\"max_tokens\": 4000, \"ignore_eos\": true, \"temperature\": 0}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = TestServer.json(r);
        assertEquals("timeout", body.get("choices").get(0).get("finish_reason").asText());
        assertTrue(body.get("usage").get("completion_tokens").asInt() < 4000, r.body());
    }

    @Test
    void aBeamSearchPastItsDeadlineIs503() {
        HttpResponse<String> r = server.post("/v1/completions", "{\"model\": \"long\", \"prompt\": \"a\", "
                + "\"max_tokens\": 4000, \"ignore_eos\": true, \"num_beams\": 4}");
        assertEquals("timeout", RequestErrorsTest.error(r, 503).get("code").asText());
        HttpResponse<String> next = server.post("/v1/completions", "{\"model\": \"long\", \"prompt\": \"a\", "
                + "\"max_tokens\": 1, \"num_beams\": 2}");
        assertEquals(200, next.statusCode(), "the side session is free again: " + next.body());
    }
}
